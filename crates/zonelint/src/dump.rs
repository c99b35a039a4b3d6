//! `zonelint dump`: every parsed record, one per line, `OWNER TTL CLASS TYPE RDATA`.
//!
//! With `--generic` the RDATA is in the RFC 3597 form `\# LENGTH HEX`, names uncompressed
//! and in the case they were written: a form every implementation prints the same way, so
//! the differential tests compare it with dnspython and BIND.

use crate::cli::DumpArgs;
use crate::error::{eprintln_quietly, is_broken_pipe, Outcome, RunError};
use crate::render::{full, sort_diagnostics, Appearance, Stream, Summary};
use crate::zonefile::{open_file, open_streamed, read_again, OpenedFile, ParseSettings};
use std::io::{self, BufWriter, Read as _, Write};
use zonelint_zone::rdata::{write_generic, write_presentation};
use zonelint_zone::{Diagnostic, Parser, RecordRef, SharedBytes, SourceMap, Zone};

/// How the RDATA is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RdataForm {
    /// The type's presentation format.
    Presentation,
    /// RFC 3597 `\# LENGTH HEX`.
    Generic,
}

/// Runs `dump`: records on standard output as they are parsed, then the parse
/// diagnostics on standard error. A file on disk is read as a stream (constant memory
/// however large it is; a closed pipe stops the parse), and read again for the snippets
/// only if there are diagnostics; standard input, or a file whose origin its first
/// megabyte does not tell, is read whole first.
pub fn run(args: &DumpArgs) -> Result<Outcome, RunError> {
    let settings = ParseSettings::from_args(&args.parse);
    let form = if args.generic {
        RdataForm::Generic
    } else {
        RdataForm::Presentation
    };
    if let Some(streamed) = open_streamed(&args.file, 0, &settings)? {
        let mut opened = streamed.opened;
        let (display, options) = (opened.display.clone(), opened.options.clone());
        let mut reader = io::Cursor::new(opened.text.clone()).chain(streamed.rest);
        let parser = Parser::streaming(&display, &mut reader, &options, opened.loader());
        let Some((mut zone, diagnostics)) = write_records(parser, form, args)? else {
            return Ok(Outcome::Clean);
        };
        // The snippets need the text again.
        let text = read_again(&args.file, &streamed.metadata)?;
        zone.sources = with_streamed_text(&zone.sources, options.first_source_id, &text);
        return Ok(report(args, &opened, &zone, diagnostics));
    }
    let mut opened = open_file(&args.file, 0, &settings)?;
    let (display, text, options) = (
        opened.display.clone(),
        opened.text.clone(),
        opened.options.clone(),
    );
    let parser = Parser::new(&display, text, &options, opened.loader());
    match write_records(parser, form, args)? {
        Some((zone, diagnostics)) => Ok(report(args, &opened, &zone, diagnostics)),
        None => Ok(Outcome::Clean),
    }
}

/// Writes the parser's records to standard output, then finishes the parse: its zone
/// (sources, no records) and diagnostics, or `None` when there is nothing to report (no
/// diagnostic, or standard output was closed: the parse is then left unfinished, as
/// nobody reads what it would write).
fn write_records(
    mut parser: Parser<'_>,
    form: RdataForm,
    args: &DumpArgs,
) -> Result<Option<(Zone, Vec<Diagnostic>)>, RunError> {
    let mut diagnostics = Vec::new();
    let mut out = BufWriter::new(io::stdout().lock());
    let mut rdata = String::new();
    let mut written = Ok(());
    while let Some(record) = parser.next_record(&mut diagnostics) {
        written = write_record(&mut out, &record, form, &mut rdata);
        if written.is_err() {
            break;
        }
    }
    match written.and_then(|()| out.flush()) {
        Err(error) if is_broken_pipe(&error) => return Ok(None),
        Err(error) => return Err(RunError::Output(error)),
        Ok(()) => {}
    }
    // A file read as a stream whose reader failed: the records before were written.
    if let Some(error) = parser.take_read_error() {
        return Err(RunError::io(&args.file, &error));
    }
    let mut zone = Zone::default();
    parser.finish(&mut zone, &mut diagnostics);
    Ok((!diagnostics.is_empty()).then_some((zone, diagnostics)))
}

/// `sources` with the file that was read as a stream (the first, `first`) holding `text`:
/// the same ids, so that the diagnostics' spans show its snippets.
fn with_streamed_text(sources: &SourceMap, first: u32, text: &SharedBytes) -> SourceMap {
    let mut with_text = SourceMap::with_base(first);
    for (_, source) in sources.iter() {
        let bytes = if source.is_streamed() {
            text.clone()
        } else {
            source.shared_text().clone()
        };
        with_text.add(source.name(), bytes);
    }
    with_text
}

/// Draws the parse diagnostics on standard error; the outcome they make.
fn report(
    args: &DumpArgs,
    opened: &OpenedFile,
    zone: &Zone,
    mut diagnostics: Vec<Diagnostic>,
) -> Outcome {
    opened.amend(&mut diagnostics);
    sort_diagnostics(zone, &mut diagnostics);
    let appearance = Appearance::detect(args.color, Stream::Stderr);
    let rendered = full::render(&zone.sources, &diagnostics, appearance);
    eprintln_quietly(rendered.trim_end());
    Summary::of_zone(zone, &diagnostics).outcome()
}

/// Writes one record as one line: `OWNER TTL CLASS TYPE RDATA`. `rdata` is a reusable
/// buffer.
pub fn write_record(
    out: &mut dyn Write,
    record: &RecordRef<'_>,
    form: RdataForm,
    rdata: &mut String,
) -> io::Result<()> {
    rdata.clear();
    match form {
        RdataForm::Presentation => write_presentation(record.rtype(), &record.rdata(), rdata),
        RdataForm::Generic => write_generic(&record.rdata(), rdata),
    }
    writeln!(
        out,
        "{} {} {} {} {rdata}",
        record.owner(),
        record.ttl().seconds(),
        record.class(),
        record.rtype(),
    )
}
