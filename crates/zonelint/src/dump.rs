//! `zonelint dump`: every parsed record, one per line, `OWNER TTL CLASS TYPE RDATA`.
//!
//! With `--generic` the RDATA is in the RFC 3597 form `\# LENGTH HEX`, names uncompressed
//! and in the case they were written: a form every implementation prints the same way, so
//! the differential tests compare it with dnspython and BIND.

use crate::cli::DumpArgs;
use crate::error::{eprintln_quietly, is_broken_pipe, Outcome, RunError};
use crate::render::{full, sort_diagnostics, Appearance, Stream, Summary};
use crate::zonefile::{open_file, ParseSettings};
use std::io::{self, BufWriter, Write};
use zonelint_zone::rdata::{write_generic, write_presentation};
use zonelint_zone::{Parser, RecordRef, Zone};

/// How the RDATA is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RdataForm {
    /// The type's presentation format.
    Presentation,
    /// RFC 3597 `\# LENGTH HEX`.
    Generic,
}

/// Runs `dump`: records on standard output as they are parsed (constant memory, and a
/// closed pipe stops the parse), then the parse diagnostics on standard error.
pub fn run(args: &DumpArgs) -> Result<Outcome, RunError> {
    let settings = ParseSettings::from_args(&args.parse);
    let form = if args.generic {
        RdataForm::Generic
    } else {
        RdataForm::Presentation
    };
    let mut opened = open_file(&args.file, 0, &settings)?;
    let (display, text, options) = (
        opened.display.clone(),
        opened.text.clone(),
        opened.options.clone(),
    );
    let mut diagnostics = Vec::new();
    let mut parser = Parser::new(&display, text, &options, opened.loader());
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
        Err(error) if is_broken_pipe(&error) => return Ok(Outcome::Clean),
        Err(error) => return Err(RunError::Output(error)),
        Ok(()) => {}
    }
    let mut zone = Zone::default();
    parser.finish(&mut zone, &mut diagnostics);
    if diagnostics.is_empty() {
        return Ok(Outcome::Clean);
    }
    opened.amend(&mut diagnostics);
    sort_diagnostics(&zone, &mut diagnostics);
    let appearance = Appearance::detect(args.color, Stream::Stderr);
    let rendered = full::render(&zone.sources, &diagnostics, appearance);
    eprintln_quietly(rendered.trim_end());
    Ok(Summary::of_zone(&zone, &diagnostics).outcome())
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
        RdataForm::Presentation => write_presentation(record.rtype(), record.rdata(), rdata),
        RdataForm::Generic => write_generic(record.rdata(), rdata),
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
