//! `zonelint server`: a Language Server over standard input and output.
//!
//! Synchronous on purpose: linting takes milliseconds, so every message is handled in
//! order on one thread. A change only marks a lint as due; once no message has come for
//! a moment (or a request needs the result), every open document is linted again with
//! the others and the workspace's zones, and the diagnostics of each document whose
//! findings changed are published: an edit of one zone shows in the zones that depend on
//! it. A lint gives way to a newer change, and `$/cancelRequest` answers a request that
//! is still waiting. The protocol framing and message types are `lsp-server` and
//! `lsp-types`, the crates rust-analyzer is built on. Each document is linted as `check`
//! would lint the file at its path (config discovery, origin inference, `$INCLUDE`s from
//! disk), with the editor's text in place of every open file's.

mod actions;
mod analysis;
mod convert;
mod hover;
mod position;
mod transport;
mod uri;
mod workspace;

use crate::error::{Outcome, RunError};
use crate::zonefile::{first_source_id, ParsedFile};
use analysis::{Analysis, Buffers, ParsedDocument};
use convert::DocumentText;
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, Response};
use lsp_types::notification::{
    Cancel, DidChangeTextDocument, DidChangeWatchedFiles, DidCloseTextDocument,
    DidOpenTextDocument, DidSaveTextDocument, Notification as _, PublishDiagnostics,
};
use lsp_types::request::{CodeActionRequest, HoverRequest, RegisterCapability, Request as _};
use lsp_types::{
    CodeActionParams, CodeActionProviderCapability, DiagnosticSeverity,
    DidChangeWatchedFilesRegistrationOptions, FileSystemWatcher, GlobPattern, Hover, HoverContents,
    HoverParams, HoverProviderCapability, InitializeResult, MarkupContent, MarkupKind, Range,
    Registration, RegistrationParams, SaveOptions, ServerCapabilities, ServerInfo,
    TextDocumentSyncCapability, TextDocumentSyncKind, TextDocumentSyncOptions,
    TextDocumentSyncSaveOptions, Uri,
};
use position::LineIndex;
use std::collections::{HashMap, HashSet, VecDeque};
use std::path::PathBuf;
use std::sync::mpsc::{self, Receiver, TryRecvError};
use std::sync::Arc;
use std::time::{Duration, Instant};
use workspace::{Refresh, Workspace};
use zonelint_policy::LintInput;

/// An open document: the editor's text and what linting it found.
struct Document {
    version: Option<i32>,
    /// The document's path, when it is a file.
    path: Option<PathBuf>,
    text: String,
    lines: LineIndex,
    /// The last lint's result (of this text once no lint is due: see `Server::stale`).
    analysis: Option<Analysis>,
    /// What was last published for it, and for which version.
    published: Option<(Option<i32>, Vec<lsp_types::Diagnostic>)>,
}

impl Document {
    fn new(uri: &Uri, version: Option<i32>, text: String) -> Self {
        Self {
            version,
            path: uri::to_path(uri),
            lines: LineIndex::new(&text),
            text,
            analysis: None,
            published: None,
        }
    }

    fn set_text(&mut self, version: Option<i32>, text: String) {
        self.version = version;
        self.lines = LineIndex::new(&text);
        self.text = text;
    }

    fn display(&self, uri: &Uri) -> String {
        self.path.as_ref().map_or_else(
            || uri.as_str().to_owned(),
            |path| path.display().to_string(),
        )
    }

    fn view<'a>(&'a self, uri: &'a Uri) -> DocumentText<'a> {
        DocumentText {
            uri,
            text: &self.text,
            lines: &self.lines,
        }
    }

    /// The analysis as LSP diagnostics.
    fn diagnostics(&self, uri: &Uri) -> Vec<lsp_types::Diagnostic> {
        let Some(analysis) = &self.analysis else {
            return Vec::new();
        };
        let view = self.view(uri);
        let mut diagnostics: Vec<lsp_types::Diagnostic> = analysis
            .diagnostics
            .iter()
            .map(|diagnostic| view.diagnostic(&analysis.zone, diagnostic))
            .collect();
        if let Some(problem) = &analysis.config_problem {
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
        diagnostics
    }
}

/// Runs the server until the client says `exit`: exit 0 after a `shutdown` request, 1
/// without one (as the protocol asks), 2 when the connection fails.
pub fn run() -> Result<Outcome, RunError> {
    let (connection, io_threads) =
        transport::stdio().map_err(|error| connection_failed(&error.to_string()))?;
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

/// Sends `publishDiagnostics` on `connection`, serialised here from the diagnostics: not
/// as an `lsp_server` message, whose parameters would first be a value tree of them (see
/// `transport`). The same text `lsp_server` would write.
fn publish(
    connection: &Connection,
    uri: &Uri,
    diagnostics: &[lsp_types::Diagnostic],
    version: Option<i32>,
) {
    /// `lsp_server`'s notification (`jsonrpc`, `method`, `params`) of `lsp_types`'
    /// `PublishDiagnosticsParams`, borrowed.
    #[derive(serde::Serialize)]
    struct Publish<'a> {
        jsonrpc: &'static str,
        method: &'static str,
        params: Params<'a>,
    }
    #[derive(serde::Serialize)]
    struct Params<'a> {
        uri: &'a Uri,
        diagnostics: &'a [lsp_types::Diagnostic],
        #[serde(skip_serializing_if = "Option::is_none")]
        version: Option<i32>,
    }
    let publish = Publish {
        jsonrpc: "2.0",
        method: PublishDiagnostics::METHOD,
        params: Params {
            uri,
            diagnostics,
            version,
        },
    };
    // Strings, numbers and URIs always serialise; were one not to, the value tree
    // `lsp_server` builds would fail alike (and it unwraps), so nothing is sent.
    if let Ok(text) = serde_json::to_string(&publish) {
        // A send fails only when the writer thread is gone; the receive loop then ends too.
        let _ = connection.sender.send(transport::serialised(text));
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
    let watches = can_watch_files(&params);
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
        backlog: VecDeque::new(),
        stale: None,
        changed: Vec::new(),
        cancelled: HashSet::new(),
    };
    if watches {
        server.watch_files();
    }
    server.start_loading();
    loop {
        if server
            .stale
            .is_some_and(|since| since.elapsed() >= MAX_STALENESS)
        {
            // Changes keep coming faster than the debounce: publish what there is.
            server.relint(Interrupt::Never);
        }
        server.take_waiting();
        if let Some(message) = server.backlog.pop_front() {
            if let Some(outcome) = server.handle(message) {
                return Ok(outcome);
            }
            continue;
        }
        server.poll_workspace();
        let wait = if server.stale.is_some() {
            Some(DEBOUNCE)
        } else if server.loading.is_some() {
            Some(WORKSPACE_POLL)
        } else {
            None
        };
        let received = match wait {
            Some(wait) => connection
                .receiver
                .recv_timeout(wait)
                .map_err(|error| error.is_timeout()),
            None => connection.receiver.recv().map_err(|_| false),
        };
        match received {
            Ok(message) => server.receive(message),
            // Quiet for a while: lint what changed.
            Err(true) => {
                if server.stale.is_some() {
                    server.relint(Interrupt::OnChange);
                }
            }
            Err(false) => break,
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

/// Whether the client lets the server register file watchers (it then sends
/// `workspace/didChangeWatchedFiles` for them).
fn can_watch_files(params: &serde_json::Value) -> bool {
    params
        .pointer("/capabilities/workspace/didChangeWatchedFiles/dynamicRegistration")
        .and_then(serde_json::Value::as_bool)
        .unwrap_or(false)
}

/// The files whose changes on disk the server wants to hear of: the zone file names
/// `zonelint check` looks for, and configs.
const WATCHED: &[&str] = &[
    "**/*.zone",
    "**/*.zone.signed",
    "**/*.db",
    "**/db.*",
    "**/zonelint.toml",
    "**/.zonelint.toml",
];

/// How often the message loop looks whether the workspace's zones have been read.
const WORKSPACE_POLL: Duration = Duration::from_millis(50);

/// How long the server waits for the next message before it lints what changed: the
/// changes an editor sends together (one operation's, a paste's) are linted once. A
/// user's keystrokes come further apart than this, and a lint under way gives way to a
/// newer change ([`Interrupt::OnChange`]), so waiting longer only delays what the user
/// sees: at 30 ms, the wait was half of the 10k-record zone's time from an edit to its
/// diagnostics (`scripts/lsp-latency.py`: 62 ms, against a target of 50).
const DEBOUNCE: Duration = Duration::from_millis(5);

/// The longest a change waits to be linted while messages keep coming.
const MAX_STALENESS: Duration = Duration::from_millis(400);

/// Whether a lint stops when a newer change arrives.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Interrupt {
    /// It gives way: its result would be stale at once.
    OnChange,
    /// It finishes (a request waits for its result, or it has waited too long).
    Never,
}

/// Whether a message changes what is linted (so a lint under way is wasted).
fn changes_input(message: &Message) -> bool {
    matches!(message, Message::Notification(notification) if [
        DidOpenTextDocument::METHOD,
        DidChangeTextDocument::METHOD,
        DidCloseTextDocument::METHOD,
        DidChangeWatchedFiles::METHOD,
    ].contains(&notification.method.as_str()))
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
    /// Messages received and not handled yet, in order.
    backlog: VecDeque<Message>,
    /// Since when a lint is due (a document or a file changed), if one is.
    stale: Option<Instant>,
    /// The documents changed since the last lint, first changed first: linted and
    /// published first.
    changed: Vec<Uri>,
    /// The requests the client cancelled that were not waiting in the backlog.
    cancelled: HashSet<lsp_server::RequestId>,
}

impl Server<'_> {
    fn send(&self, message: Message) {
        // A send fails only when the writer thread is gone; the receive loop then ends too.
        let _ = self.connection.sender.send(message);
    }

    /// Moves every message already received into the backlog.
    fn take_waiting(&mut self) {
        while let Ok(message) = self.connection.receiver.try_recv() {
            self.receive(message);
        }
    }

    /// Queues a message; a `$/cancelRequest` answers the request it names at once, if
    /// that request is still waiting.
    fn receive(&mut self, message: Message) {
        if let Message::Notification(notification) = &message {
            if notification.method == Cancel::METHOD {
                let Some(id) = cancelled_id(notification) else {
                    return;
                };
                let waiting = self.backlog.iter().position(
                    |queued| matches!(queued, Message::Request(request) if request.id == id),
                );
                match waiting {
                    Some(at) => {
                        self.backlog.remove(at);
                        self.send(cancelled(id).into());
                    }
                    // The request being answered (its answer waits for a lint), or one
                    // answered already: remembered a while, in case it is the former.
                    None => {
                        if self.cancelled.len() >= MAX_CANCELLED {
                            self.cancelled.clear();
                        }
                        self.cancelled.insert(id);
                    }
                }
                return;
            }
        }
        self.backlog.push_back(message);
    }

    /// Handles one message; `Some` when the client said `exit`.
    fn handle(&mut self, message: Message) -> Option<Outcome> {
        match message {
            Message::Request(request) => self.request(request),
            Message::Notification(notification) if notification.method == "exit" => {
                return Some(if self.shutdown {
                    Outcome::Clean
                } else {
                    Outcome::Errors
                });
            }
            Message::Notification(notification) => self.notification(notification),
            Message::Response(_) => {}
        }
        None
    }

    /// Asks the client to tell of changes to zone files and configs on disk.
    fn watch_files(&self) {
        let watchers: Vec<FileSystemWatcher> = WATCHED
            .iter()
            .map(|&pattern| FileSystemWatcher {
                glob_pattern: GlobPattern::String(pattern.to_owned()),
                kind: None,
            })
            .collect();
        let options = DidChangeWatchedFilesRegistrationOptions { watchers };
        let params = RegistrationParams {
            registrations: vec![Registration {
                id: "zonelint-watched-files".to_owned(),
                method: DidChangeWatchedFiles::METHOD.to_owned(),
                register_options: serde_json::to_value(options).ok(),
            }],
        };
        self.send(
            Request::new(
                lsp_server::RequestId::from("zonelint-watch".to_owned()),
                RegisterCapability::METHOD.to_owned(),
                params,
            )
            .into(),
        );
    }

    fn request(&mut self, request: Request) {
        let id = request.id.clone();
        if !self.shutdown
            && [CodeActionRequest::METHOD, HoverRequest::METHOD].contains(&request.method.as_str())
            && self.stale.is_some()
        {
            // The answer must see every change made before the request.
            self.relint(Interrupt::Never);
            // The client may have given up on it meanwhile.
            self.take_waiting();
        }
        if self.cancelled.remove(&id) {
            self.send(cancelled(id).into());
            return;
        }
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
                    let open = Document::new(&document.uri, Some(document.version), document.text);
                    self.documents.insert(document.uri.clone(), open);
                    self.mark_changed(document.uri);
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
                    self.documents
                        .entry(document.uri.clone())
                        .or_insert_with(|| Document::new(&document.uri, None, String::new()))
                        .set_text(Some(document.version), text);
                    self.mark_changed(document.uri);
                }
            }
            DidSaveTextDocument::METHOD => {
                if let Ok(params) = serde_json::from_value::<lsp_types::DidSaveTextDocumentParams>(
                    notification.params,
                ) {
                    let uri = params.text_document.uri;
                    if let (Some(text), Some(document)) =
                        (params.text, self.documents.get_mut(&uri))
                    {
                        let version = document.version;
                        document.set_text(version, text);
                    }
                    // The saved file is now what other zones read from disk (when the
                    // document is closed, or when the client cannot watch files).
                    if let Some(path) = uri::to_path(&uri) {
                        self.refresh(&[analysis::absolute(&path)]);
                    }
                    // Saving can change what the config or an include says: lint again.
                    self.mark_changed(uri);
                }
            }
            DidCloseTextDocument::METHOD => {
                if let Ok(params) = serde_json::from_value::<lsp_types::DidCloseTextDocumentParams>(
                    notification.params,
                ) {
                    let uri = params.text_document.uri;
                    self.documents.remove(&uri);
                    self.changed.retain(|changed| changed != &uri);
                    // A closed document's diagnostics leave the editor's problem list.
                    publish(self.connection, &uri, &[], None);
                    // The zones that depend on it now read it from disk.
                    self.stale.get_or_insert_with(Instant::now);
                }
            }
            DidChangeWatchedFiles::METHOD => {
                if let Ok(params) = serde_json::from_value::<lsp_types::DidChangeWatchedFilesParams>(
                    notification.params,
                ) {
                    let paths: Vec<PathBuf> = params
                        .changes
                        .iter()
                        .filter_map(|change| uri::to_path(&change.uri))
                        .map(|path| analysis::absolute(&path))
                        .collect();
                    self.refresh(&paths);
                    // A config may have changed: every document is linted again (each
                    // lint reads the configs afresh).
                    self.stale.get_or_insert_with(Instant::now);
                }
            }
            _ => {}
        }
    }

    /// A document changed: lint soon, this one first.
    fn mark_changed(&mut self, uri: Uri) {
        if !self.changed.contains(&uri) {
            self.changed.push(uri);
        }
        self.stale.get_or_insert_with(Instant::now);
    }

    /// Reads the files at `paths` again after they changed on disk: in place when they
    /// are known zone files (or their includes), the whole workspace otherwise.
    fn refresh(&mut self, paths: &[PathBuf]) {
        if paths.is_empty() || self.roots.is_empty() {
            return;
        }
        let config = paths.iter().any(|path| {
            path.file_name()
                .is_some_and(|name| name == "zonelint.toml" || name == ".zonelint.toml")
        });
        if config || self.loading.is_some() || self.workspace.refresh(paths) == Refresh::Reload {
            self.start_loading();
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

    /// Takes the workspace's zones once read; every document is linted again with them.
    fn poll_workspace(&mut self) {
        let Some(receiver) = &self.loading else {
            return;
        };
        match receiver.try_recv() {
            Ok(workspace) => {
                self.workspace = workspace;
                self.loading = None;
                self.stale.get_or_insert_with(Instant::now);
            }
            Err(TryRecvError::Empty) => {}
            Err(TryRecvError::Disconnected) => self.loading = None,
        }
    }

    /// The open documents' texts by canonical path.
    fn buffers(&self) -> Buffers {
        self.documents
            .values()
            .filter_map(|document| {
                let path = analysis::absolute(document.path.as_ref()?);
                Some((path, Arc::from(document.text.as_bytes())))
            })
            .collect()
    }

    /// Lints every open document again, together with each other and the workspace's
    /// other zones, and publishes the diagnostics of each document whose diagnostics or
    /// version changed. With [`Interrupt::OnChange`], gives way to a change that arrives
    /// meanwhile (the lint stays due).
    fn relint(&mut self, interrupt: Interrupt) {
        let mut order: Vec<Uri> = self.changed.clone();
        let mut rest: Vec<Uri> = self
            .documents
            .keys()
            .filter(|uri| !order.contains(uri))
            .cloned()
            .collect();
        rest.sort_by(|a, b| a.as_str().cmp(b.as_str()));
        order.extend(rest);
        order.retain(|uri| self.documents.contains_key(uri));
        let buffers = self.buffers();
        let first_slot = self.workspace.next_slot();
        let parsed: Vec<ParsedDocument> = order
            .iter()
            .enumerate()
            .filter_map(|(index, uri)| {
                let document = self.documents.get(uri)?;
                Some(analysis::parse_document(
                    document.path.as_deref(),
                    &document.display(uri),
                    &document.text,
                    first_source_id(first_slot + index),
                    &buffers,
                ))
            })
            .collect();
        let reparsed = reparse_includers(&self.workspace, &buffers);
        let others = other_zones(&self.workspace, &buffers, &reparsed);
        let connection = self.connection;
        let backlog = &mut self.backlog;
        let mut interrupted = || {
            if interrupt == Interrupt::Never {
                return false;
            }
            while let Ok(message) = connection.receiver.try_recv() {
                backlog.push_back(message);
            }
            backlog.iter().any(changes_input)
        };
        let Some(analyses) = analysis::lint_documents(parsed, &others, &mut interrupted) else {
            // Cancellations among what arrived are handled in order by the main loop.
            let waiting: Vec<Message> = self.backlog.drain(..).collect();
            for message in waiting {
                self.receive(message);
            }
            return;
        };
        drop(others);
        self.stale = None;
        self.changed.clear();
        for (uri, analysis) in order.into_iter().zip(analyses) {
            let Some(document) = self.documents.get_mut(&uri) else {
                continue;
            };
            document.analysis = Some(analysis);
            let diagnostics = document.diagnostics(&uri);
            let version = document.version;
            let unchanged =
                document
                    .published
                    .as_ref()
                    .is_some_and(|(published_version, published)| {
                        *published_version == version && *published == diagnostics
                    });
            if unchanged {
                continue;
            }
            publish(self.connection, &uri, &diagnostics, version);
            document.published = Some((version, diagnostics));
        }
    }

    fn code_actions(&self, params: &CodeActionParams) -> Vec<lsp_types::CodeActionOrCommand> {
        let uri = &params.text_document.uri;
        let Some((document, analysis)) = self
            .documents
            .get(uri)
            .and_then(|document| Some((document, document.analysis.as_ref()?)))
        else {
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
            &analysis.zone,
            &analysis.diagnostics,
            params.range,
        )
    }

    fn hover(&self, params: &HoverParams) -> Option<Hover> {
        let place = &params.text_document_position_params;
        let uri = &place.text_document.uri;
        let document = self.documents.get(uri)?;
        let analysis = document.analysis.as_ref()?;
        let offset = document.lines.offset(&document.text, place.position);
        // The zones the document was linted with, itself first: an SPF record's lookups
        // are counted through all of them.
        let buffers = self.buffers();
        let reparsed = reparse_includers(&self.workspace, &buffers);
        let others = other_zones(&self.workspace, &buffers, &reparsed);
        let inputs: Vec<LintInput<'_>> = std::iter::once(analysis)
            .chain(
                self.documents
                    .iter()
                    .filter(|(other, _)| *other != uri)
                    .filter_map(|(_, document)| document.analysis.as_ref()),
            )
            .map(|analysis| LintInput {
                zone: &analysis.zone,
                origin: analysis.origin.as_ref(),
            })
            .chain(others.iter().map(|other| LintInput {
                zone: &other.zone,
                origin: other.origin.name.as_ref(),
            }))
            .collect();
        let markdown = hover::hover(&inputs, &document.text, offset)?;
        Some(Hover {
            contents: HoverContents::Markup(MarkupContent {
                kind: MarkupKind::Markdown,
                value: markdown,
            }),
            range: None,
        })
    }
}

/// The workspace's zones that include an open document, parsed again with the editor's
/// text of it, by slot.
fn reparse_includers(workspace: &Workspace, buffers: &Buffers) -> HashMap<usize, ParsedFile> {
    workspace
        .zones
        .iter()
        .filter(|zone| !buffers.contains_key(&zone.path) && zone.includes_any(buffers))
        .filter_map(|zone| Some((zone.slot, zone.reparse(buffers)?)))
        .collect()
}

/// The workspace's zones that are not open documents (those are linted from the editor's
/// text), each as read from disk or as `reparsed`.
fn other_zones<'a>(
    workspace: &'a Workspace,
    buffers: &Buffers,
    reparsed: &'a HashMap<usize, ParsedFile>,
) -> Vec<&'a ParsedFile> {
    workspace
        .zones
        .iter()
        .filter(|zone| !buffers.contains_key(&zone.path))
        .map(|zone| reparsed.get(&zone.slot).unwrap_or(&zone.parsed))
        .collect()
}

/// The most cancelled request ids remembered.
const MAX_CANCELLED: usize = 64;

/// The answer to a request the client cancelled.
fn cancelled(id: lsp_server::RequestId) -> Response {
    Response::new_err(
        id,
        ErrorCode::RequestCanceled as i32,
        "cancelled by the client".to_owned(),
    )
}

/// The id of the request a `$/cancelRequest` names.
fn cancelled_id(notification: &Notification) -> Option<lsp_server::RequestId> {
    let params: lsp_types::CancelParams =
        serde_json::from_value(notification.params.clone()).ok()?;
    Some(match params.id {
        lsp_types::NumberOrString::Number(number) => number.into(),
        lsp_types::NumberOrString::String(text) => text.into(),
    })
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
