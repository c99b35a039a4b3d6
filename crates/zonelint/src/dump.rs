//! `zonelint dump`: every parsed record, one per line, `OWNER TTL CLASS TYPE RDATA`.
//!
//! With `--generic` the RDATA is in the RFC 3597 form `\# LENGTH HEX`, names uncompressed
//! and in the case they were written: a form every implementation prints the same way, so
//! the differential tests compare it with dnspython and BIND.

use crate::cli::DumpArgs;
use crate::error::{eprintln_quietly, is_broken_pipe, Outcome, RunError};
use crate::render::{full, sort_diagnostics, Appearance, Stream, Summary};
use crate::zonefile::{parse_file, Includes, ParseSettings};
use std::io::{self, BufWriter, Write};
use zonelint_zone::rdata::{write_generic, write_presentation};
use zonelint_zone::Zone;

/// How the RDATA is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RdataForm {
    /// The type's presentation format.
    Presentation,
    /// RFC 3597 `\# LENGTH HEX`.
    Generic,
}

/// Runs `dump`: records on standard output, parse diagnostics on standard error.
pub fn run(args: &DumpArgs) -> Result<Outcome, RunError> {
    let settings = ParseSettings {
        origin: args.parse.origin.clone(),
        includes: if args.parse.no_include {
            Includes::Refuse
        } else {
            Includes::Follow
        },
    };
    let mut parsed = parse_file(&args.file, 0, &settings)?;
    let form = if args.generic {
        RdataForm::Generic
    } else {
        RdataForm::Presentation
    };
    let mut out = BufWriter::new(io::stdout().lock());
    match write_records(&mut out, &parsed.zone, form).and_then(|()| out.flush()) {
        Err(error) if is_broken_pipe(&error) => return Ok(Outcome::Clean),
        Err(error) => return Err(RunError::Output(error)),
        Ok(()) => {}
    }
    if parsed.diagnostics.is_empty() {
        return Ok(Outcome::Clean);
    }
    sort_diagnostics(&parsed.zone, &mut parsed.diagnostics);
    let appearance = Appearance::detect(args.color, Stream::Stderr);
    let rendered = full::render(&parsed.zone.sources, &parsed.diagnostics, appearance);
    eprintln_quietly(rendered.trim_end());
    Ok(Summary::of_zone(&parsed.zone, &parsed.diagnostics).outcome())
}

/// Writes one line per record.
pub fn write_records(out: &mut dyn Write, zone: &Zone, form: RdataForm) -> io::Result<()> {
    let mut rdata = String::new();
    for record in zone.records() {
        rdata.clear();
        match form {
            RdataForm::Presentation => {
                write_presentation(record.rtype(), record.rdata(), &mut rdata);
            }
            RdataForm::Generic => write_generic(record.rdata(), &mut rdata),
        }
        writeln!(
            out,
            "{} {} {} {} {rdata}",
            record.owner(),
            record.ttl().seconds(),
            record.class(),
            record.rtype(),
        )?;
    }
    Ok(())
}
