//! `zonelint server`: a Language Server over standard input and output.
//!
//! Synchronous on purpose: linting one zone takes milliseconds, so every message is
//! handled in order on one thread, and diagnostics are published after each change of a
//! document (full text sync). The protocol framing and message types are `lsp-server`
//! and `lsp-types`, the crates rust-analyzer is built on. Each document is linted as
//! `check` would lint the file at its path (config discovery, origin inference,
//! `$INCLUDE`s from disk), with the editor's text in place of the file's.

mod actions;
mod analysis;
mod convert;
mod hover;
mod position;
mod uri;
mod workspace;

use crate::error::{Outcome, RunError};
use analysis::{analyse, Analysis};
use convert::DocumentText;
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, Response};
use lsp_types::notification::{
    DidChangeTextDocument, DidCloseTextDocument, DidOpenTextDocument, DidSaveTextDocument,
    Notification as _, PublishDiagnostics,
};
use lsp_types::request::{CodeActionRequest, HoverRequest, Request as _};
use lsp_types::{
    CodeActionParams, CodeActionProviderCapability, DiagnosticSeverity, Hover, HoverContents,
    HoverParams, HoverProviderCapability, InitializeResult, MarkupContent, MarkupKind,
    PublishDiagnosticsParams, Range, SaveOptions, ServerCapabilities, ServerInfo,
    TextDocumentSyncCapability, TextDocumentSyncKind, TextDocumentSyncOptions,
    TextDocumentSyncSaveOptions, Uri,
};
use position::LineIndex;
use std::collections::{HashMap, VecDeque};
use std::path::PathBuf;
use std::sync::mpsc::{self, Receiver, TryRecvError};
use std::time::Duration;
use workspace::Workspace;

/// An open document: the editor's text and what linting it found.
struct Document {
    version: Option<i32>,
    text: String,
    lines: LineIndex,
    analysis: Analysis,
}

impl Document {
    fn new(uri: &Uri, version: Option<i32>, text: String, workspace: &Workspace) -> Self {
        let path: Option<PathBuf> = uri::to_path(uri);
        let display = path
            .as_ref()
            .map_or_else(|| uri.as_str().to_owned(), |p| p.display().to_string());
        let analysis = analyse(
            path.as_deref(),
            &display,
            &text,
            workspace.others(path.as_deref()),
        );
        Self {
            version,
            lines: LineIndex::new(&text),
            text,
            analysis,
        }
    }

    fn view<'a>(&'a self, uri: &'a Uri) -> DocumentText<'a> {
        DocumentText {
            uri,
            text: &self.text,
            lines: &self.lines,
        }
    }
}

/// Runs the server until the client says `exit`: exit 0 after a `shutdown` request, 1
/// without one (as the protocol asks), 2 when the connection fails.
pub fn run() -> Result<Outcome, RunError> {
    let (connection, io_threads) = Connection::stdio();
    let outcome = serve(&connection);
    // The writer thread ends once every sender is gone, after flushing what is queued.
    drop(connection);
    match io_threads.join() {
        // Why reading or writing failed (not JSON, no `Content-Length`) says more than
        // what the message loop saw (the channel closed).
        Err(error) => Err(connection_failed(&error.to_string())),
        Ok(()) => outcome,
    }
}

/// The connection with the client broke.
fn connection_failed(why: &str) -> RunError {
    RunError::Io {
        path: PathBuf::from("standard input"),
        message: format!("the LSP connection failed: {why}"),
    }
}

fn serve(connection: &Connection) -> Result<Outcome, RunError> {
    let protocol = |error: lsp_server::ProtocolError| {
        if error.channel_is_disconnected() {
            connection_failed("the client closed it before `initialize`")
        } else {
            connection_failed(&error.to_string())
        }
    };
    let (id, params) = connection.initialize_start().map_err(protocol)?;
    let roots = workspace_roots(&params);
    let result = InitializeResult {
        capabilities: capabilities(),
        server_info: Some(ServerInfo {
            name: "zonelint".to_owned(),
            version: Some(env!("CARGO_PKG_VERSION").to_owned()),
        }),
    };
    let result = serde_json::to_value(result)
        .map_err(|error| RunError::Internal(format!("cannot encode the capabilities: {error}")))?;
    connection.initialize_finish(id, result).map_err(protocol)?;
    let mut server = Server {
        connection,
        documents: HashMap::new(),
        roots,
        workspace: Workspace::default(),
        loading: None,
        shutdown: false,
    };
    server.start_loading();
    let mut backlog = VecDeque::new();
    loop {
        let message = match backlog.pop_front() {
            Some(message) => message,
            None if server.loading.is_some() => {
                server.poll_workspace();
                match connection.receiver.recv_timeout(WORKSPACE_POLL) {
                    Ok(message) => message,
                    Err(error) if error.is_timeout() => continue,
                    Err(_) => break,
                }
            }
            None => match connection.receiver.recv() {
                Ok(message) => message,
                Err(_) => break,
            },
        };
        match message {
            Message::Request(request) => server.request(request),
            Message::Notification(notification) if notification.method == "exit" => {
                return Ok(if server.shutdown {
                    Outcome::Clean
                } else {
                    Outcome::Errors
                });
            }
            Message::Notification(notification) => {
                if notification.method == DidChangeTextDocument::METHOD
                    && superseded(&notification, connection, &mut backlog)
                {
                    continue;
                }
                server.notification(notification);
            }
            Message::Response(_) => {}
        }
    }
    // The client went away without `exit`.
    Ok(Outcome::Errors)
}

/// The workspace folders the client names (the root URI of an older client), as paths.
fn workspace_roots(params: &serde_json::Value) -> Vec<PathBuf> {
    let Ok(params) = serde_json::from_value::<lsp_types::InitializeParams>(params.clone()) else {
        return Vec::new();
    };
    #[expect(
        deprecated,
        reason = "root_uri is all that clients before LSP 3.6 send"
    )]
    let root = params.root_uri;
    match params.workspace_folders {
        Some(folders) if !folders.is_empty() => folders
            .iter()
            .filter_map(|folder| uri::to_path(&folder.uri))
            .collect(),
        _ => root.as_ref().and_then(uri::to_path).into_iter().collect(),
    }
}

/// How often the message loop looks whether the workspace's zones have been read.
const WORKSPACE_POLL: Duration = Duration::from_millis(50);

/// How long a change waits for the next one before it is linted: while the user types,
/// only the last of a burst of changes is linted and published. Short enough not to be
/// seen (editors debounce by 100 ms or more before sending).
const DEBOUNCE: Duration = Duration::from_millis(30);

/// The most messages held back while waiting for a burst of changes to end.
const MAX_BACKLOG: usize = 256;

/// Whether a later change of the whole text (or the close) of the same document is already
/// waiting, so that linting this change would be wasted. Waits up to [`DEBOUNCE`] for more messages,
/// keeping them in `backlog` in order; a request ends the wait (it wants an answer now),
/// and a change after a request is not looked at (the request must see this one's text).
fn superseded(
    change: &Notification,
    connection: &Connection,
    backlog: &mut VecDeque<Message>,
) -> bool {
    let document = |notification: &Notification| {
        notification
            .params
            .get("textDocument")
            .and_then(|document| document.get("uri"))
            .cloned()
    };
    let Some(uri) = document(change) else {
        return false;
    };
    // A change of a range needs the text before it: only a later whole text makes
    // this change's text irrelevant.
    let whole_text = |notification: &Notification| {
        notification
            .params
            .get("contentChanges")
            .and_then(serde_json::Value::as_array)
            .is_some_and(|changes| changes.iter().any(|change| change.get("range").is_none()))
    };
    let later = |message: &Message| match message {
        Message::Notification(next) => {
            document(next).as_ref() == Some(&uri)
                && (next.method == DidCloseTextDocument::METHOD
                    || (next.method == DidChangeTextDocument::METHOD && whole_text(next)))
        }
        _ => false,
    };
    loop {
        for message in backlog.iter() {
            if matches!(message, Message::Request(_)) {
                return false;
            }
            if later(message) {
                return true;
            }
        }
        if backlog.len() >= MAX_BACKLOG {
            return false;
        }
        match connection.receiver.recv_timeout(DEBOUNCE) {
            Ok(message) => backlog.push_back(message),
            Err(_) => return false,
        }
    }
}

/// What the server offers: full text sync (with the text on save), code actions, hover.
fn capabilities() -> ServerCapabilities {
    ServerCapabilities {
        text_document_sync: Some(TextDocumentSyncCapability::Options(
            TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::FULL),
                save: Some(TextDocumentSyncSaveOptions::SaveOptions(SaveOptions {
                    include_text: Some(true),
                })),
                ..TextDocumentSyncOptions::default()
            },
        )),
        code_action_provider: Some(CodeActionProviderCapability::Simple(true)),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        ..ServerCapabilities::default()
    }
}

struct Server<'c> {
    connection: &'c Connection,
    documents: HashMap<Uri, Document>,
    /// The workspace folders.
    roots: Vec<PathBuf>,
    /// Their zone files, as last read.
    workspace: Workspace,
    /// The zone files being read again, on another thread (a large folder takes a while,
    /// and documents are linted without them meanwhile).
    loading: Option<Receiver<Workspace>>,
    shutdown: bool,
}

impl Server<'_> {
    fn send(&self, message: Message) {
        // A send fails only when the writer thread is gone; the receive loop then ends too.
        let _ = self.connection.sender.send(message);
    }

    fn request(&mut self, request: Request) {
        let id = request.id.clone();
        let response = match request.method.as_str() {
            "shutdown" => {
                self.shutdown = true;
                Response::new_ok(id, ())
            }
            _ if self.shutdown => Response::new_err(
                id,
                ErrorCode::InvalidRequest as i32,
                "the server is shutting down".to_owned(),
            ),
            CodeActionRequest::METHOD => match serde_json::from_value(request.params) {
                Ok(params) => Response::new_ok(id, self.code_actions(&params)),
                Err(error) => invalid_params(id, &error),
            },
            HoverRequest::METHOD => match serde_json::from_value(request.params) {
                Ok(params) => Response::new_ok(id, self.hover(&params)),
                Err(error) => invalid_params(id, &error),
            },
            _ => Response::new_err(
                id,
                ErrorCode::MethodNotFound as i32,
                format!("zonelint does not handle `{}`", request.method),
            ),
        };
        self.send(response.into());
    }

    fn notification(&mut self, notification: Notification) {
        // A notification gets no answer, so one whose parameters cannot be read is
        // dropped: there is no one to tell.
        match notification.method.as_str() {
            DidOpenTextDocument::METHOD => {
                if let Ok(params) = serde_json::from_value::<lsp_types::DidOpenTextDocumentParams>(
                    notification.params,
                ) {
                    let document = params.text_document;
                    self.update(document.uri, Some(document.version), document.text);
                }
            }
            DidChangeTextDocument::METHOD => {
                if let Ok(params) = serde_json::from_value::<lsp_types::DidChangeTextDocumentParams>(
                    notification.params,
                ) {
                    let document = params.text_document;
                    let mut text = self
                        .documents
                        .get(&document.uri)
                        .map(|open| open.text.clone())
                        .unwrap_or_default();
                    // Full sync: a change without a range is the whole text. A client that
                    // sends ranges anyway is followed too, one change after the other.
                    for change in params.content_changes {
                        match change.range {
                            None => text = change.text,
                            Some(range) => {
                                let lines = LineIndex::new(&text);
                                let start = lines.offset(&text, range.start);
                                let end = lines.offset(&text, range.end).max(start);
                                text.replace_range(start..end, &change.text);
                            }
                        }
                    }
                    self.update(document.uri, Some(document.version), text);
                }
            }
            DidSaveTextDocument::METHOD => {
                if let Ok(params) = serde_json::from_value::<lsp_types::DidSaveTextDocumentParams>(
                    notification.params,
                ) {
                    let uri = params.text_document.uri;
                    // What other zones say is read from disk, where this one just changed.
                    self.start_loading();
                    // Saving can change what the config or an include says: lint again.
                    let known = self
                        .documents
                        .get(&uri)
                        .map(|document| (document.version, document.text.clone()));
                    let (version, text) = match (params.text, known) {
                        (Some(text), known) => (known.and_then(|(version, _)| version), text),
                        (None, Some((version, text))) => (version, text),
                        (None, None) => return,
                    };
                    self.update(uri, version, text);
                }
            }
            DidCloseTextDocument::METHOD => {
                if let Ok(params) = serde_json::from_value::<lsp_types::DidCloseTextDocumentParams>(
                    notification.params,
                ) {
                    let uri = params.text_document.uri;
                    self.documents.remove(&uri);
                    // A closed document's diagnostics leave the editor's problem list.
                    self.publish(uri, Vec::new(), None);
                }
            }
            _ => {}
        }
    }

    /// Starts reading the workspace's zone files on another thread.
    fn start_loading(&mut self) {
        if self.roots.is_empty() {
            return;
        }
        let roots = self.roots.clone();
        let (sender, receiver) = mpsc::channel();
        std::thread::spawn(move || {
            // The receiver is gone only when the server is: nothing to tell.
            let _ = sender.send(Workspace::load(roots));
        });
        self.loading = Some(receiver);
    }

    /// Takes the workspace's zones once read, and lints every open document again with
    /// them.
    fn poll_workspace(&mut self) {
        let Some(receiver) = &self.loading else {
            return;
        };
        match receiver.try_recv() {
            Ok(workspace) => {
                self.workspace = workspace;
                self.loading = None;
                let open: Vec<(Uri, Option<i32>, String)> = self
                    .documents
                    .iter()
                    .map(|(uri, document)| (uri.clone(), document.version, document.text.clone()))
                    .collect();
                for (uri, version, text) in open {
                    self.update(uri, version, text);
                }
            }
            Err(TryRecvError::Empty) => {}
            Err(TryRecvError::Disconnected) => self.loading = None,
        }
    }

    /// Lints the document's new text and publishes what was found.
    fn update(&mut self, uri: Uri, version: Option<i32>, text: String) {
        let document = Document::new(&uri, version, text, &self.workspace);
        let view = document.view(&uri);
        let zone = &document.analysis.zone;
        let mut diagnostics: Vec<lsp_types::Diagnostic> = document
            .analysis
            .diagnostics
            .iter()
            .map(|diagnostic| view.diagnostic(zone, diagnostic))
            .collect();
        if let Some(problem) = &document.analysis.config_problem {
            diagnostics.insert(
                0,
                lsp_types::Diagnostic {
                    range: Range::default(),
                    severity: Some(DiagnosticSeverity::ERROR),
                    source: Some(convert::SOURCE.to_owned()),
                    message: format!(
                        "{}\n(linted with the default settings)",
                        without_escapes(problem)
                    ),
                    ..lsp_types::Diagnostic::default()
                },
            );
        }
        self.publish(uri.clone(), diagnostics, version);
        self.documents.insert(uri, document);
    }

    fn publish(&self, uri: Uri, diagnostics: Vec<lsp_types::Diagnostic>, version: Option<i32>) {
        let params = PublishDiagnosticsParams {
            uri,
            diagnostics,
            version,
        };
        self.send(Notification::new(PublishDiagnostics::METHOD.to_owned(), params).into());
    }

    fn code_actions(&self, params: &CodeActionParams) -> Vec<lsp_types::CodeActionOrCommand> {
        let uri = &params.text_document.uri;
        let Some(document) = self.documents.get(uri) else {
            return Vec::new();
        };
        let wants_quick_fixes = params.context.only.as_ref().is_none_or(|kinds| {
            kinds.iter().any(|kind| {
                kind == &lsp_types::CodeActionKind::QUICKFIX || kind.as_str().is_empty()
            })
        });
        if !wants_quick_fixes {
            return Vec::new();
        }
        actions::code_actions(
            &document.view(uri),
            &document.analysis.zone,
            &document.analysis.diagnostics,
            params.range,
        )
    }

    fn hover(&self, params: &HoverParams) -> Option<Hover> {
        let place = &params.text_document_position_params;
        let document = self.documents.get(&place.text_document.uri)?;
        let offset = document.lines.offset(&document.text, place.position);
        let markdown = hover::hover(&document.analysis.zone, &document.text, offset)?;
        Some(Hover {
            contents: HoverContents::Markup(MarkupContent {
                kind: MarkupKind::Markdown,
                value: markdown,
            }),
            range: None,
        })
    }
}

/// `text` without terminal escape sequences (colours, hyperlinks): the config's problems
/// are rendered for standard error, which may be a terminal even under an editor.
fn without_escapes(text: &str) -> String {
    let mut plain = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\u{1b}' {
            plain.push(c);
            continue;
        }
        match chars.next() {
            // CSI: parameters, then one final byte in `@`..=`~`.
            Some('[') => {
                for next in chars.by_ref() {
                    if ('@'..='~').contains(&next) {
                        break;
                    }
                }
            }
            // OSC (hyperlinks): up to BEL or ESC `\`.
            Some(']') => {
                while let Some(next) = chars.next() {
                    if next == '\u{7}' {
                        break;
                    }
                    if next == '\u{1b}' {
                        chars.next_if_eq(&'\\');
                        break;
                    }
                }
            }
            _ => {}
        }
    }
    plain
}

fn invalid_params(id: lsp_server::RequestId, error: &serde_json::Error) -> Response {
    Response::new_err(
        id,
        ErrorCode::InvalidParams as i32,
        format!("cannot read the parameters: {error}"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_are_removed() {
        assert_eq!(
            without_escapes(
                "\u{1b}[1;31merror\u{1b}[0m: \u{1b}]8;;https://x\u{1b}\\link\u{1b}]8;;\u{7} ok"
            ),
            "error: link ok"
        );
    }
}
