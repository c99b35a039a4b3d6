//! Standard input and output as the server's connection: `lsp_server`'s stdio transport,
//! whose writer also takes messages the server has serialised itself.
//!
//! `lsp_server` carries a message's parameters as a `serde_json::Value`. For most
//! messages that costs nothing worth counting; a `publishDiagnostics` of a large zone is
//! another matter: its value tree (a map per diagnostic, per range, per position) was
//! 4.9 ms of the 5 ms after the 10k-record bench zone's lint, and on the 1M-record zone
//! most of the 13.6 s between an edit and its diagnostics, most of that in zeroing the
//! tree's fresh pages. Such a message is serialised straight from the diagnostics
//! ([`serialised`]) and goes through the same channel as every other message, so the
//! order they are written in is the order they are sent in; the writer thread writes
//! its text as it is, with the protocol's header.

use crossbeam_channel::{bounded, Receiver, Sender};
use lsp_server::{Connection, Message, Notification};
use std::io::{self, Write as _};
use std::thread;

/// The method a message made by [`serialised`] is carried under on its way to the writer
/// thread: never written, never a client's (LSP methods have no `$` at their start but
/// `$/`).
const SERIALISED: &str = "$zonelint/serialised";

/// A whole JSON-RPC message, serialised by the server (`{"jsonrpc":"2.0",...}`), as a
/// [`Message`] the connection carries to the writer, which writes `text` as it is.
pub fn serialised(text: String) -> Message {
    Message::Notification(Notification {
        method: SERIALISED.to_owned(),
        params: serde_json::Value::String(text),
    })
}

/// The threads that read standard input and write standard output.
pub struct IoThreads {
    reader: thread::JoinHandle<io::Result<()>>,
    writer: thread::JoinHandle<io::Result<()>>,
}

impl IoThreads {
    /// Waits for both threads (the writer ends once every sender of the connection is
    /// gone, after writing what was queued): the first error of the reader, then of the
    /// writer.
    pub fn join(self) -> io::Result<()> {
        let reader = self.reader.join();
        let writer = self.writer.join();
        for result in [reader, writer] {
            match result {
                Ok(done) => done?,
                Err(_) => return Err(io::Error::other("an I/O thread of the server panicked")),
            }
        }
        Ok(())
    }
}

/// The connection over standard input and output: as `Connection::stdio`, the messages
/// read and forwarded until `exit` (or the end of input), and each sent message written
/// in order.
pub fn stdio() -> io::Result<(Connection, IoThreads)> {
    let (to_writer, writer_gets) = bounded::<Message>(0);
    let writer = thread::Builder::new()
        .name("zonelint-lsp-writer".to_owned())
        .spawn(move || write_all(&writer_gets))?;
    let (from_reader, reader_gives) = bounded::<Message>(0);
    let reader = thread::Builder::new()
        .name("zonelint-lsp-reader".to_owned())
        .spawn(move || read_all(&from_reader))?;
    let connection = Connection {
        sender: to_writer,
        receiver: reader_gives,
    };
    Ok((connection, IoThreads { reader, writer }))
}

/// Reads messages from standard input and hands them over until `exit`, the end of
/// input or the server's end (the receiver gone).
fn read_all(to_server: &Sender<Message>) -> io::Result<()> {
    let stdin = io::stdin();
    let mut stdin = stdin.lock();
    while let Some(message) = Message::read(&mut stdin)? {
        let exit = matches!(&message, Message::Notification(n) if n.method == "exit");
        if to_server.send(message).is_err() {
            return Ok(());
        }
        if exit {
            break;
        }
    }
    Ok(())
}

/// Writes every message sent, in order, until every sender is gone.
fn write_all(from_server: &Receiver<Message>) -> io::Result<()> {
    let stdout = io::stdout();
    let mut stdout = stdout.lock();
    for message in from_server {
        match &message {
            Message::Notification(Notification { method, params }) if method == SERIALISED => {
                if let serde_json::Value::String(text) = params {
                    write!(stdout, "Content-Length: {}\r\n\r\n", text.len())?;
                    stdout.write_all(text.as_bytes())?;
                    stdout.flush()?;
                }
            }
            _ => message.write(&mut stdout)?,
        }
    }
    Ok(())
}
