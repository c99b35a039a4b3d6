//! A file read as a stream: the parser holds a window of it, never the whole.
//!
//! The window starts at the entry being read and holds at least the chunk after it.
//! When the scanner reaches the window's end before the input's, the bytes before the
//! entry are let go (their line starts noted), more is read, and the entry is scanned
//! again: so every entry is scanned whole, as in a parse of the whole text, and the
//! records, spans and diagnostics are the same.

use crate::source::line_starts_after;
use std::io::Read;

/// Bytes read at a time, at least (a long entry reads as much again as the window holds,
/// so that it is scanned in linear time however long it is).
pub(crate) const CHUNK: usize = 64 << 10;

/// The top-level file of a [`crate::Parser`] read from a reader.
pub(crate) struct Stream<'r> {
    reader: &'r mut dyn Read,
    /// The file's bytes from `base` on, as far as they have been read.
    pub(crate) window: Vec<u8>,
    /// The offset in the file of the window's first byte.
    pub(crate) base: u32,
    /// Whether the reader gave its last byte (or failed, or the size limit was reached).
    pub(crate) ended: bool,
    /// Where each line of the file let go starts.
    line_starts: Vec<u32>,
    /// The bytes read at a time, at least.
    pub(crate) chunk: usize,
    /// The most the file may hold (at most `u32::MAX`: spans are 32-bit offsets).
    limit: u64,
    /// The first error the reader gave: the input ends there.
    pub(crate) error: Option<std::io::Error>,
}

/// What a refill found besides the bytes.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Refilled {
    /// Bytes were read, or the input ended.
    Read,
    /// The file is larger than the limit: it ends at the limit.
    OverLimit,
}

impl<'r> Stream<'r> {
    pub(crate) fn new(reader: &'r mut dyn Read, limit: u64) -> Self {
        Self {
            reader,
            window: Vec::new(),
            base: 0,
            ended: false,
            line_starts: vec![0],
            chunk: CHUNK,
            limit: limit.min(u64::from(u32::MAX)),
            error: None,
        }
    }

    /// Lets go of the window before `from` (the start of the entry the scanner could not
    /// finish) and reads more. Gives where that entry now starts in the window.
    pub(crate) fn refill(&mut self, from: usize) -> (usize, Refilled) {
        let mut keep = from.min(self.window.len());
        // Whether a CR ends a line depends on the byte after it (a CRLF is one line
        // end): one not yet read keeps the CR in the window.
        if keep == self.window.len() && self.window.last() == Some(&b'\r') {
            keep -= 1;
        }
        self.note_lines(keep);
        self.window.drain(..keep);
        self.base = self.base.saturating_add(keep as u32);
        let held = u64::from(self.base) + self.window.len() as u64;
        // One byte past the limit tells a file over it from one that ends there.
        let room = (self.limit + 1).saturating_sub(held);
        let wanted = (self.window.len().max(self.chunk) as u64).min(room);
        match (&mut *self.reader)
            .take(wanted)
            .read_to_end(&mut self.window)
        {
            Ok(read) if (read as u64) < wanted => self.ended = true,
            Ok(_) => {}
            Err(error) => {
                // The bytes read before the error are in the window; the input ends
                // there.
                self.error = Some(error);
                self.ended = true;
            }
        }
        let mut refilled = Refilled::Read;
        if u64::from(self.base) + self.window.len() as u64 > self.limit {
            self.window
                .truncate((self.limit - u64::from(self.base)) as usize);
            self.ended = true;
            refilled = Refilled::OverLimit;
        }
        (from.saturating_sub(keep), refilled)
    }

    /// Notes the line starts in the window's first `end` bytes, which are let go.
    fn note_lines(&mut self, end: usize) {
        let ends = line_starts_after(&self.window, 0, end, self.base);
        self.line_starts.extend(ends);
    }

    /// Where each line of the file starts, and the file's length: the window's lines
    /// noted too (the stream is done).
    pub(crate) fn into_lines(mut self) -> (Vec<u32>, u32) {
        let len = self.window.len();
        self.note_lines(len);
        let total = self.base.saturating_add(len as u32);
        (self.line_starts, total)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A reader that gives at most `most` bytes a call, and fails after `fail_after`.
    struct Trickle<'a> {
        bytes: &'a [u8],
        most: usize,
        fail_after: Option<usize>,
        given: usize,
    }

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            if self.fail_after.is_some_and(|after| self.given >= after) {
                return Err(std::io::Error::other("disk gone"));
            }
            let n = buf.len().min(self.most).min(self.bytes.len());
            let (now, rest) = self.bytes.split_at(n);
            buf.get_mut(..n).unwrap_or_default().copy_from_slice(now);
            self.bytes = rest;
            self.given += n;
            Ok(n)
        }
    }

    /// Reads `text` through a stream, refilling from the window's end each time.
    fn line_starts_of(text: &[u8], chunk: usize, most: usize) -> (Vec<u32>, u32) {
        let mut reader = Trickle {
            bytes: text,
            most,
            fail_after: None,
            given: 0,
        };
        let mut stream = Stream::new(&mut reader, u64::MAX);
        stream.chunk = chunk;
        while !stream.ended {
            let end = stream.window.len();
            stream.refill(end);
        }
        stream.into_lines()
    }

    /// The line starts [`crate::Source`] finds in the whole text.
    fn whole_line_starts(text: &[u8]) -> Vec<u32> {
        let source = crate::Source::new("t", text);
        (1..).map_while(|line| source.line_start(line)).collect()
    }

    #[test]
    fn line_starts_are_those_of_the_whole_text_wherever_the_reads_cut_it() {
        for text in [
            &b"a\nb\r\nc\rd\r\r\ne\n"[..],
            b"\r",
            b"\r\n",
            b"x\r",
            b"",
            b"no end",
            b"\n\n\r\r\n\n",
        ] {
            for chunk in 1..=4 {
                for most in 1..=3 {
                    let (starts, len) = line_starts_of(text, chunk, most);
                    assert_eq!(starts, whole_line_starts(text), "{text:?} {chunk} {most}");
                    assert_eq!(len as usize, text.len());
                }
            }
        }
    }

    /// The parse of `text` read as a stream in windows of `chunk` bytes, from a reader
    /// giving `most` bytes a call, next to the parse of the whole text: records, spans,
    /// diagnostics, comments and the lines of the diagnostics the same.
    fn compare(name: &str, text: &[u8], options: &crate::ParseOptions, chunk: usize, most: usize) {
        use crate::split::tests::outcome;
        let whole_options = crate::ParseOptions {
            parallel: false,
            ..options.clone()
        };
        let (whole, whole_diagnostics) =
            crate::parse(name, text, &whole_options, &mut crate::NoIncludes);
        let mut reader = Trickle {
            bytes: text,
            most,
            fail_after: None,
            given: 0,
        };
        let mut loader = crate::NoIncludes;
        let mut parser = crate::Parser::streaming(name, &mut reader, options, &mut loader);
        parser.set_read_size(chunk);
        let mut zone = crate::Zone::with_capacity_for(chunk);
        let mut diagnostics = Vec::new();
        while let Some(record) = parser.next_record(&mut diagnostics) {
            zone.push(&record);
        }
        assert!(parser.take_read_error().is_none());
        parser.finish(&mut zone, &mut diagnostics);
        assert_eq!(
            outcome(&zone, &diagnostics),
            outcome(&whole, &whole_diagnostics),
            "{name} in windows of {chunk} bytes, reads of {most}"
        );
        let (Some(streamed), Some(kept)) = (
            zone.sources.get(SourceId(0)),
            whole.sources.get(SourceId(0)),
        ) else {
            panic!("{name}: no source");
        };
        assert!(streamed.is_streamed() && streamed.text().is_empty());
        for diagnostic in &diagnostics {
            let at = diagnostic.primary.start;
            if diagnostic.primary.source == SourceId(0) {
                assert_eq!(streamed.line(at), kept.line(at), "{name} {diagnostic:?}");
                if text.is_ascii() {
                    assert_eq!(streamed.line_column(at), kept.line_column(at));
                }
            }
        }
        // Every line start, not only those diagnostics point at.
        for line in 1..=kept.line(text.len() as u32) + 1 {
            assert_eq!(
                streamed.line_start(line),
                kept.line_start(line),
                "{name} line {line}"
            );
        }
    }

    use crate::SourceId;

    #[test]
    fn every_test_file_read_as_a_stream_parses_as_a_whole() {
        let options = crate::ParseOptions {
            origin: crate::Name::from_ascii("example.com.").ok(),
            ..crate::ParseOptions::default()
        };
        for file in crate::split::tests::test_files() {
            let text = std::fs::read(&file).unwrap_or_default();
            let name = file.display().to_string();
            for (chunk, most) in [(1, 1), (2, 3), (7, 5), (64, 4096), (CHUNK, 1 << 20)] {
                compare(&name, &text, &options, chunk, most);
            }
        }
    }

    #[test]
    fn edges_of_a_window_parse_as_a_whole() {
        let options = crate::ParseOptions {
            origin: crate::Name::from_ascii("example.com.").ok(),
            ..crate::ParseOptions::default()
        };
        let texts: [&[u8]; 8] = [
            // A byte-order mark at the start is skipped; the same bytes later are not.
            b"\xEF\xBB\xBFwww 60 A 192.0.2.1\n\xEF\xBB\xBFx 60 A 192.0.2.2\n",
            // CRLF and bare CR line ends, a CR last.
            b"a 60 A 192.0.2.1\r\nb 60 A 192.0.2.2\rc 60 A 192.0.2.3\r",
            // A `(` never closed: the scan resumes at the next line in column one.
            b"a 60 TXT ( \"x\"\n  \"y\"\nb 60 A 192.0.2.1\nc 60 A 192.0.2.2\n",
            // A `(` never closed, no line to resume at.
            b"a 60 TXT ( \"x\"\n  \"y\"\n  \"z\"",
            // A quote never closed, and no newline at the end.
            b"a 60 TXT \"x\nb 60 A 192.0.2.1",
            // Blank owners across the windows, a directive, `$GENERATE`.
            b"$TTL 60\na A 192.0.2.1\n  AAAA 2001:db8::1\n$ORIGIN sub.example.com.\n  A 192.0.2.2\n$GENERATE 1-3 h$ A 192.0.2.$\n",
            // Escapes at a window's end.
            b"a 60 TXT \"x\\\"y\" b\\ c\na\\",
            b"",
        ];
        for text in texts {
            for chunk in 1..=9 {
                for most in [1, 2, 5] {
                    compare("t", text, &options, chunk, most);
                }
            }
        }
    }

    #[test]
    fn a_file_over_the_limit_is_parsed_up_to_it() {
        let text = b"a 60 A 192.0.2.1\nb 60 A 192.0.2.2\nc 60 A 192.0.2.3\n";
        let options = crate::ParseOptions {
            origin: crate::Name::from_ascii("example.com.").ok(),
            max_file_size: 20,
            ..crate::ParseOptions::default()
        };
        let (mut reader, mut loader) = (&text[..], crate::NoIncludes);
        let mut parser = crate::Parser::streaming("big.zone", &mut reader, &options, &mut loader);
        let mut diagnostics = Vec::new();
        let mut records = 0;
        while parser.next_record(&mut diagnostics).is_some() {
            records += 1;
        }
        assert!(parser.take_read_error().is_none());
        // The first record (17 bytes), then `b 6` cut at byte 20: a record with no type.
        assert_eq!(records, 1);
        let codes: Vec<_> = diagnostics.iter().map(|d| d.code.code).collect();
        assert_eq!(codes, ["PARSE012", "PARSE001"], "{diagnostics:?}");
        assert_eq!(diagnostics[0].primary.start, 20);
        assert!(diagnostics[0]
            .message
            .contains("big.zone is larger than 20 bytes"));
    }

    #[test]
    fn a_read_error_ends_the_records_and_is_given_back() {
        let mut reader = Trickle {
            bytes: b"a 60 A 192.0.2.1\nb 60 A 192.0.2.2\n",
            most: 4,
            fail_after: Some(12),
            given: 0,
        };
        let options = crate::ParseOptions {
            origin: crate::Name::from_ascii("example.com.").ok(),
            ..crate::ParseOptions::default()
        };
        let mut loader = crate::NoIncludes;
        let mut parser = crate::Parser::streaming("t", &mut reader, &options, &mut loader);
        parser.set_read_size(4);
        let mut diagnostics = Vec::new();
        let mut owners = Vec::new();
        while let Some(record) = parser.next_record(&mut diagnostics) {
            owners.push(record.owner().to_string());
        }
        // The 12 bytes read, `a 60 A 192.0`, end the input: a bad address, no record.
        assert!(owners.is_empty(), "{owners:?}");
        assert_eq!(
            parser.take_read_error().map(|e| e.to_string()).as_deref(),
            Some("disk gone")
        );
        assert!(parser.take_read_error().is_none());
    }

    #[test]
    fn a_long_entry_is_read_in_ever_larger_reads() {
        let text = vec![b'x'; 1 << 20];
        let mut reader = &text[..];
        let mut stream = Stream::new(&mut reader, u64::MAX);
        stream.chunk = 16;
        let mut refills = 0;
        // The entry at 0 never ends: the window grows to the whole text.
        while !stream.ended {
            let (from, _) = stream.refill(0);
            assert_eq!(from, 0);
            refills += 1;
        }
        assert_eq!(stream.window.len(), text.len());
        // Doubling: about 16 reads from 16 bytes to 1 MiB, not 65,536.
        assert!(refills <= 18, "{refills} refills");
    }

    #[test]
    fn a_file_over_the_limit_ends_at_it() {
        let text = b"0123456789";
        let mut reader = &text[..];
        let mut stream = Stream::new(&mut reader, 6);
        stream.chunk = 4;
        let mut over = false;
        while !stream.ended {
            let end = stream.window.len();
            over |= stream.refill(end).1 == Refilled::OverLimit;
        }
        assert!(over);
        assert_eq!(stream.into_lines().1, 6);
        // A file just at the limit is not over it.
        let mut reader = &text[..];
        let mut stream = Stream::new(&mut reader, 10);
        stream.chunk = 4;
        while !stream.ended {
            let end = stream.window.len();
            assert_eq!(stream.refill(end).1, Refilled::Read);
        }
        assert_eq!(stream.into_lines().1, 10);
    }

    #[test]
    fn a_read_error_ends_the_input_after_what_was_read() {
        let mut reader = Trickle {
            bytes: b"a\nbc\nd",
            most: 2,
            fail_after: Some(4),
            given: 0,
        };
        let mut stream = Stream::new(&mut reader, u64::MAX);
        stream.chunk = 16;
        stream.refill(0);
        assert!(stream.ended);
        assert_eq!(stream.window, b"a\nbc");
        assert_eq!(
            stream.error.as_ref().map(ToString::to_string).as_deref(),
            Some("disk gone")
        );
    }
}
