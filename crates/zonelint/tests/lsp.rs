//! `zonelint server` spoken to as an editor would: the real binary, JSON-RPC with
//! `Content-Length` framing over its standard input and output.
// clippy's `allow-unwrap-in-tests` covers `#[test]` functions, not the helpers they share.
#![expect(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a helper that cannot speak to the server must fail the test"
)]
#![expect(
    clippy::indexing_slicing,
    reason = "helpers index JSON messages and texts; a missing field must fail the test"
)]

use serde_json::{json, Value};
use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::Duration;

/// How long any one answer may take before the test fails instead of hanging.
const PATIENCE: Duration = Duration::from_secs(20);

/// A zone with two `+all` findings (SPF001): one after plain ASCII, one after an owner
/// whose bytes, characters and UTF-16 code units all count differently. Its MX keeps it
/// from being a parked zone once the findings are fixed (COV007).
const ZONE: &str = "$TTL 3600
@ IN SOA ns1.example.com. hostmaster.example.com. 1 7200 3600 1209600 3600
@ IN NS ns1.example.com.
@ IN NS ns2.example.net.
ns1 IN A 192.0.2.1 ; café ☕
ns1 IN TXT \"v=spf1 -all\"
_dmarc IN TXT \"v=DMARC1; p=reject; rua=mailto:dmarc@ns1.example.com\"
@ IN TXT \"v=spf1 +all\"
café☕😀 IN TXT \"v=spf1 +all\"
2026._domainkey IN TXT \"v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=\"
@ IN MX 10 mx.example.net.
";

struct Server {
    child: Child,
    stdin: Option<ChildStdin>,
    messages: Receiver<Value>,
    /// Notifications read while waiting for something else.
    pending: VecDeque<Value>,
    next_id: i64,
}

impl Server {
    fn start(directory: &Path) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_zonelint"))
            .arg("server")
            .current_dir(directory)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let stdin = child.stdin.take();
        let stdout = child.stdout.take().unwrap();
        let (sender, messages) = mpsc::channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            loop {
                let mut length = None;
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let line = line.trim_end();
                    if line.is_empty() {
                        break;
                    }
                    if let Some(value) = line.strip_prefix("Content-Length: ") {
                        length = Some(value.parse::<usize>().unwrap());
                    }
                }
                let mut body = vec![0; length.expect("a Content-Length header")];
                reader.read_exact(&mut body).unwrap();
                if sender.send(serde_json::from_slice(&body).unwrap()).is_err() {
                    return;
                }
            }
        });
        Self {
            child,
            stdin,
            messages,
            pending: VecDeque::new(),
            next_id: 1,
        }
    }

    fn send(&mut self, message: &Value) {
        let body = message.to_string();
        let stdin = self.stdin.as_mut().unwrap();
        write!(stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        stdin.flush().unwrap();
    }

    fn receive(&mut self) -> Value {
        self.messages
            .recv_timeout(PATIENCE)
            .expect("the server answers in time")
    }

    fn notify(&mut self, method: &str, params: Value) {
        let mut message = json!({"jsonrpc": "2.0", "method": method});
        message["params"] = params;
        self.send(&message);
    }

    /// Sends a request and returns its whole response (`result` or `error`).
    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        let mut message = json!({"jsonrpc": "2.0", "id": id, "method": method});
        message["params"] = params;
        self.send(&message);
        loop {
            let message = self.receive();
            if message["id"] == json!(id) && message.get("method").is_none() {
                return message;
            }
            self.pending.push_back(message);
        }
    }

    /// The parameters of the next `publishDiagnostics` for `uri`.
    fn publication(&mut self, uri: &str) -> Value {
        let is_wanted = |message: &Value| {
            message["method"] == "textDocument/publishDiagnostics"
                && message["params"]["uri"] == uri
        };
        if let Some(at) = self.pending.iter().position(is_wanted) {
            return self.pending.remove(at).unwrap()["params"].take();
        }
        loop {
            let mut message = self.receive();
            if is_wanted(&message) {
                return message["params"].take();
            }
            self.pending.push_back(message);
        }
    }

    /// The diagnostics of the next `publishDiagnostics` for `uri`.
    fn diagnostics(&mut self, uri: &str) -> Vec<Value> {
        self.publication(uri)["diagnostics"]
            .as_array()
            .unwrap()
            .clone()
    }

    fn initialize(&mut self, root: &Path) -> Value {
        self.initialize_with(root, &json!({}))
    }

    fn initialize_with(&mut self, root: &Path, capabilities: &Value) -> Value {
        let response = self.request(
            "initialize",
            json!({
                "processId": null,
                "rootUri": file_uri(root),
                "capabilities": capabilities,
            }),
        );
        self.notify("initialized", json!({}));
        response["result"].clone()
    }

    fn open(&mut self, uri: &str, text: &str) -> Vec<Value> {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "zone", "version": 1, "text": text}}),
        );
        self.diagnostics(uri)
    }

    /// Sends the document's new text, and returns the diagnostics published for it (a
    /// publication of an earlier version, made when the workspace folder was read, is
    /// skipped).
    fn change(&mut self, uri: &str, version: i32, text: &str) -> Vec<Value> {
        self.notify(
            "textDocument/didChange",
            json!({
                "textDocument": {"uri": uri, "version": version},
                "contentChanges": [{"text": text}],
            }),
        );
        loop {
            let mut published = self.publication(uri);
            if published["version"] == version {
                return published["diagnostics"].take().as_array().unwrap().clone();
            }
        }
    }

    /// The Markdown of a hover at `position` (`""` when there is none).
    fn hover(&mut self, uri: &str, line: usize, character: usize) -> String {
        self.request(
            "textDocument/hover",
            json!({
                "textDocument": {"uri": uri},
                "position": {"line": line, "character": character},
            }),
        )["result"]["contents"]["value"]
            .as_str()
            .unwrap_or("")
            .to_owned()
    }

    fn code_actions(&mut self, uri: &str, range: &Value) -> Vec<Value> {
        let response = self.request(
            "textDocument/codeAction",
            json!({
                "textDocument": {"uri": uri},
                "range": range,
                "context": {"diagnostics": []},
            }),
        );
        response["result"].as_array().unwrap().clone()
    }

    /// `shutdown`, `exit`, and the exit code.
    fn stop(mut self) -> Option<i32> {
        let response = self.request("shutdown", Value::Null);
        assert_eq!(response["result"], Value::Null, "{response}");
        self.notify("exit", Value::Null);
        self.exit_code()
    }

    fn exit_code(mut self) -> Option<i32> {
        drop(self.stdin.take());
        self.child.wait().unwrap().code()
    }
}

fn file_uri(path: &Path) -> String {
    let mut uri = String::from("file://");
    for byte in path.to_str().unwrap().bytes() {
        if byte.is_ascii_alphanumeric() || b"/-._~".contains(&byte) {
            uri.push(char::from(byte));
        } else {
            uri.push_str(&format!("%{byte:02X}"));
        }
    }
    uri
}

/// The byte offset of an LSP position (UTF-16 columns) in `text`, computed here rather
/// than with the server's code, so that the two are checked against each other.
fn offset(text: &str, position: &Value) -> usize {
    let line = position["line"].as_u64().unwrap() as usize;
    let character = position["character"].as_u64().unwrap() as usize;
    let line_start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
    let mut units = 0;
    for (index, c) in text[line_start..].char_indices() {
        if units >= character || c == '\n' {
            return line_start + index;
        }
        units += c.len_utf16();
    }
    text.len()
}

/// Applies a code action's edits to `text` (the document at `uri`).
fn apply(text: &str, uri: &str, action: &Value) -> String {
    let mut edits: Vec<(usize, usize, String)> = action["edit"]["changes"][uri]
        .as_array()
        .unwrap()
        .iter()
        .map(|edit| {
            (
                offset(text, &edit["range"]["start"]),
                offset(text, &edit["range"]["end"]),
                edit["newText"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    edits.sort_by_key(|edit| std::cmp::Reverse(edit.0));
    let mut fixed = text.to_owned();
    for (start, end, content) in edits {
        fixed.replace_range(start..end, &content);
    }
    fixed
}

fn codes(diagnostics: &[Value]) -> Vec<&str> {
    diagnostics
        .iter()
        .map(|d| d["code"].as_str().unwrap_or(""))
        .collect()
}

fn range(start: (u32, u32), end: (u32, u32)) -> Value {
    json!({
        "start": {"line": start.0, "character": start.1},
        "end": {"line": end.0, "character": end.1},
    })
}

/// A directory with a `zonelint.toml`, so no config above the temporary directory applies.
/// A config that leaves out SPF037's notes on SPF targets outside the loaded zones, for
/// tests about which zones are re-linted (their zones include `spf.example.org`).
const NO_EXTERNAL_NOTES: &str = "ignore = [\"SPF037\"]\n";

fn workspace(config: &str) -> tempfile::TempDir {
    let directory = tempfile::tempdir().unwrap();
    std::fs::write(directory.path().join("zonelint.toml"), config).unwrap();
    directory
}

#[test]
fn diagnostics_follow_the_text_and_code_actions_fix_it() {
    let directory = workspace("");
    let root = directory.path().canonicalize().unwrap();
    let path = root.join("db.example.com");
    std::fs::write(&path, ZONE).unwrap();
    let uri = file_uri(&path);
    let mut server = Server::start(&root);

    let capabilities = server.initialize(&root)["capabilities"].clone();
    assert_eq!(
        capabilities["textDocumentSync"]["change"], 1,
        "{capabilities}"
    );
    assert_eq!(capabilities["codeActionProvider"], true);
    assert_eq!(capabilities["hoverProvider"], true);

    let diagnostics = server.open(&uri, ZONE);
    assert_eq!(
        codes(&diagnostics),
        ["SPF001", "SPF001"],
        "{diagnostics:#?}"
    );
    let first = &diagnostics[0];
    assert_eq!(first["range"], range((7, 17), (7, 21)));
    assert_eq!(first["severity"], 1);
    assert_eq!(first["source"], "zonelint");
    assert_eq!(
        first["codeDescription"]["href"],
        "https://zonelint.dev/rules/spf-plus-all"
    );
    // `café☕😀 IN TXT "v=spf1 ` is 28 bytes, 22 characters and 23 UTF-16 code units
    // (the emoji is a surrogate pair): `+all` starts at column 23.
    assert_eq!(diagnostics[1]["range"], range((8, 23), (8, 27)));

    // Editing one finding away leaves the other.
    let edited = ZONE.replace(
        "café☕😀 IN TXT \"v=spf1 +all\"",
        "café☕😀 IN TXT \"v=spf1 -all\"",
    );
    let diagnostics = server.change(&uri, 2, &edited);
    assert_eq!(codes(&diagnostics), ["SPF001"], "{diagnostics:#?}");
    assert_eq!(diagnostics[0]["range"], range((7, 17), (7, 21)));

    // A client that sends a range anyway (the server asked for whole texts) is followed.
    server.notify(
        "textDocument/didChange",
        json!({
            "textDocument": {"uri": uri, "version": 3},
            "contentChanges": [
                {"range": range((8, 23), (8, 24)), "text": "+"},
                {"range": range((7, 17), (7, 18)), "text": "?"},
            ],
        }),
    );
    let mut published = server.publication(&uri);
    while published["version"] != 3 {
        published = server.publication(&uri);
    }
    let diagnostics = published["diagnostics"].as_array().unwrap();
    assert_eq!(codes(diagnostics), ["SPF002", "SPF001"], "{diagnostics:#?}");
    assert_eq!(diagnostics[0]["range"], range((7, 17), (7, 21)));
    assert_eq!(diagnostics[1]["range"], range((8, 23), (8, 27)));
    let diagnostics = server.change(&uri, 4, &edited);
    assert_eq!(codes(&diagnostics), ["SPF001"], "{diagnostics:#?}");

    // A cursor inside the finding gets its fix (unsafe: titled so) and a suppression.
    let actions = server.code_actions(&uri, &range((7, 19), (7, 19)));
    let titles: Vec<&str> = actions
        .iter()
        .map(|a| a["title"].as_str().unwrap())
        .collect();
    assert_eq!(
        titles,
        [
            "Replace `+all` with `-all` (unsafe fix: it changes what receivers decide)",
            "Suppress SPF001 on this line",
        ]
    );
    assert_eq!(actions[0]["kind"], "quickfix");
    assert_eq!(actions[0]["isPreferred"], false);
    assert_eq!(actions[0]["diagnostics"][0]["code"], "SPF001");

    let fixed = apply(&edited, &uri, &actions[0]);
    assert!(fixed.contains("@ IN TXT \"v=spf1 -all\"\n"), "{fixed}");
    assert_eq!(codes(&server.change(&uri, 5, &fixed)), [""; 0]);

    let suppressed = apply(&edited, &uri, &actions[1]);
    assert!(
        suppressed.contains("@ IN TXT \"v=spf1 +all\" ; zonelint: ignore[SPF001] <reason>\n"),
        "{suppressed}"
    );
    assert_eq!(codes(&server.change(&uri, 6, &suppressed)), [""; 0]);

    // Nothing to act on away from the findings.
    assert!(server.code_actions(&uri, &range((0, 0), (0, 3))).is_empty());

    assert_eq!(server.stop(), Some(0));
}

#[test]
fn a_second_suppression_joins_the_comment_already_on_the_line() {
    let directory = workspace("");
    let root = directory.path().canonicalize().unwrap();
    let uri = file_uri(&root.join("db.example.com"));
    let text = ZONE.replace(
        "@ IN TXT \"v=spf1 +all\"\n",
        "@ IN TXT \"v=spf1 +all\" \"v=spf1 ~all\" ; zonelint: ignore[SPF001] testing\n",
    );
    let mut server = Server::start(&root);
    server.initialize(&root);
    let diagnostics = server.open(&uri, &text);
    let on_line_7: Vec<&Value> = diagnostics
        .iter()
        .filter(|d| d["range"]["start"]["line"] == 7)
        .collect();
    assert!(!on_line_7.is_empty(), "{diagnostics:#?}");
    let code = on_line_7[0]["code"].as_str().unwrap().to_owned();
    let actions = server.code_actions(&uri, &on_line_7[0]["range"].clone());
    let suppress = actions
        .iter()
        .find(|a| a["title"] == format!("Suppress {code} on this line"))
        .unwrap();
    let suppressed = apply(&text, &uri, suppress);
    assert!(
        suppressed.contains(&format!("; zonelint: ignore[SPF001,{code}] testing\n")),
        "{suppressed}"
    );
    assert_eq!(server.stop(), Some(0));
}

#[test]
fn related_spans_and_the_config_of_the_document() {
    // The config beside the file applies as on the command line.
    let directory = workspace("ignore = [\"SPF001\"]\n");
    let root = directory.path().canonicalize().unwrap();
    let uri = file_uri(&root.join("db.example.com"));
    let text = format!("{ZONE}@ IN TXT \"v=spf1 -all\"\n");
    let mut server = Server::start(&root);
    server.initialize(&root);
    let diagnostics = server.open(&uri, &text);
    assert_eq!(codes(&diagnostics), ["SPF007"], "{diagnostics:#?}");
    assert_eq!(diagnostics[0]["range"], range((11, 10), (11, 21)));
    let related = &diagnostics[0]["relatedInformation"][0];
    assert_eq!(related["location"]["uri"], uri.as_str());
    assert_eq!(related["location"]["range"], range((7, 10), (7, 21)));
    assert_eq!(related["message"], "the first SPF record at this name");
    assert_eq!(server.stop(), Some(0));
}

#[test]
fn hover_explains_rule_codes_and_spf_terms() {
    let directory = workspace("");
    let root = directory.path().canonicalize().unwrap();
    let uri = file_uri(&root.join("db.example.com"));
    let text =
        "@ IN TXT \"v=spf1 include:_spf.example.net +all\" ; zonelint: ignore[SPF001] test\n";
    let mut server = Server::start(&root);
    server.initialize(&root);
    server.open(&uri, text);
    let mut hover = |character: usize| {
        server.request(
            "textDocument/hover",
            json!({
                "textDocument": {"uri": uri},
                "position": {"line": 0, "character": character},
            }),
        )["result"]["contents"]["value"]
            .as_str()
            .unwrap_or("")
            .to_owned()
    };
    assert!(hover(text.find("SPF001").unwrap() + 2).starts_with("**SPF001** `spf-plus-all`"));
    assert!(hover(text.find("include").unwrap()).contains("one DNS lookup"));
    assert_eq!(hover(0), "");
    assert_eq!(server.stop(), Some(0));
}

#[test]
fn exit_without_shutdown_exits_1() {
    let directory = workspace("");
    let root = directory.path().canonicalize().unwrap();
    let mut server = Server::start(&root);
    server.initialize(&root);
    server.notify("exit", Value::Null);
    assert_eq!(server.exit_code(), Some(1));
}

#[test]
fn hostile_documents_get_diagnostics_not_a_crash() {
    let directory = workspace("");
    let root = directory.path().canonicalize().unwrap();
    let mut server = Server::start(&root);
    server.initialize(&root);
    let long_line = format!("a TXT \"{}\"\n", "x".repeat(100_000));
    let documents = [
        String::new(),
        "\u{0}\u{1}\u{7f}\r\r\n(((".to_owned(),
        "$INCLUDE /etc/passwd\n$INCLUDE ../../../../etc/shadow\n".to_owned(),
        "$INCLUDE db.example.com\n".to_owned(),
        "$GENERATE 1-4294967295 host$ A 192.0.2.$\n".to_owned(),
        "$ORIGIN\n$TTL 99999999999999999999\n@ SOA ( ; 😀\n".to_owned(),
        long_line,
        "\u{feff}@ IN TXT \"v=spf1 ptr ptr ptr include:a include:b include:c include:d include:e include:f include:g include:h include:i include:j include:k +all\"\r".to_owned(),
        "😀".repeat(10_000),
    ];
    for (index, text) in documents.iter().enumerate() {
        let uri = file_uri(&root.join(format!("db.example.com.{index}")));
        server.open(&uri, text);
        let actions = server.request(
            "textDocument/codeAction",
            json!({
                "textDocument": {"uri": uri},
                "range": range((0, 0), (u32::MAX, u32::MAX)),
                "context": {"diagnostics": []},
            }),
        );
        assert!(actions["result"].is_array(), "{actions}");
        for (line, character) in [(0, 0), (0, 5), (0, u32::MAX), (u32::MAX, 0)] {
            let hover = server.request(
                "textDocument/hover",
                json!({
                    "textDocument": {"uri": uri},
                    "position": {"line": line, "character": character},
                }),
            );
            assert!(hover.get("result").is_some(), "{hover}");
        }
        server.notify(
            "textDocument/didClose",
            json!({"textDocument": {"uri": uri}}),
        );
        // Closing clears the document's diagnostics (after any publication still queued
        // from when the workspace folder was read).
        while !server.diagnostics(&uri).is_empty() {}
    }
    // Parameters that are not what the method takes get an error, not a crash.
    let bad = server.request("textDocument/codeAction", json!({"nonsense": true}));
    assert_eq!(bad["error"]["code"], -32602, "{bad}");
    let unknown = server.request("workspace/symbol", json!({"query": ""}));
    assert_eq!(unknown["error"]["code"], -32601, "{unknown}");
    server.notify("textDocument/didOpen", json!({"garbage": 1}));
    assert_eq!(server.stop(), Some(0));
}

#[test]
fn a_burst_of_changes_ends_with_the_last_text_linted() {
    let directory = workspace("");
    let root = directory.path().canonicalize().unwrap();
    let uri = file_uri(&root.join("db.example.com"));
    let mut server = Server::start(&root);
    server.initialize(&root);
    server.open(&uri, ZONE);
    let fixed = ZONE.replace("+all", "-all");
    let last = 41;
    for version in 2..=last {
        let text = if version == last { &fixed } else { ZONE };
        server.notify(
            "textDocument/didChange",
            json!({
                "textDocument": {"uri": uri, "version": version},
                "contentChanges": [{"text": text}],
            }),
        );
    }
    // Changes that a later one replaced may be skipped; those published are in order
    // (a version may come twice: again once the workspace folder is read), and the last
    // text is always linted.
    let mut seen = 1;
    loop {
        let published = server.publication(&uri);
        let version = published["version"].as_i64().unwrap();
        assert!(version >= seen, "version {version} after {seen}");
        seen = version;
        if version == last {
            assert_eq!(published["diagnostics"], json!([]), "{published}");
            break;
        }
        assert_eq!(published["diagnostics"].as_array().unwrap().len(), 2);
    }
    assert_eq!(server.stop(), Some(0));
}

#[test]
fn the_other_zones_of_the_workspace_folder_take_part() {
    let directory = workspace("");
    let root = directory.path().canonicalize().unwrap();
    let text = "$TTL 3600
@ IN SOA ns1.example.com. hostmaster.example.com. 1 7200 3600 1209600 3600
@ IN NS ns1.example.net.
@ IN NS ns2.example.net.
@ IN TXT \"v=spf1 include:_spf.example.net -all\"
_dmarc IN TXT \"v=DMARC1; p=reject; rua=mailto:dmarc@example.com\"
@ IN MX 10 ns1.example.net.
2026._domainkey IN TXT \"v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=\"
";
    // The included record is in another zone file of the folder, and lets anyone send.
    std::fs::write(
        root.join("db.example.net"),
        "$TTL 3600
@ IN SOA ns1.example.net. hostmaster.example.net. 1 7200 3600 1209600 3600
@ IN NS ns1.example.net.
@ IN NS ns2.example.net.
ns1 IN A 192.0.2.1
ns1 IN TXT \"v=spf1 -all\"
ns2 IN A 192.0.2.2
ns2 IN TXT \"v=spf1 -all\"
@ IN TXT \"v=spf1 -all\"
_dmarc IN TXT \"v=DMARC1; p=reject; rua=mailto:dmarc@ns1.example.net\"
_spf IN TXT \"v=spf1 +all\"
",
    )
    .unwrap();
    let uri = file_uri(&root.join("db.example.com"));
    let mut server = Server::start(&root);
    server.initialize(&root);
    // The folder is read on another thread: the document may first be linted without it
    // (then the include's target is outside the loaded zones, SPF037), and is linted again
    // once it is read.
    let mut diagnostics = server.open(&uri, text);
    while codes(&diagnostics).iter().all(|code| *code == "SPF037") {
        diagnostics = server.diagnostics(&uri);
    }
    assert_eq!(codes(&diagnostics), ["SPF005"], "{diagnostics:#?}");
    assert_eq!(diagnostics[0]["range"], range((4, 17), (4, 41)));
    assert_eq!(server.stop(), Some(0));
}

#[test]
fn a_bare_carriage_return_ends_a_line() {
    // The parser and the protocol both end lines at a bare CR (old Mac files); a line
    // index that split at `\n` only would put every finding on line 0.
    let directory = workspace("");
    let root = directory.path().canonicalize().unwrap();
    let uri = file_uri(&root.join("db.example.com"));
    // Without the comment: BIND, and so zonelint, read a comment on to the next `\n`.
    let text = ZONE.replace(" ; café ☕", "").replace('\n', "\r");
    let mut server = Server::start(&root);
    server.initialize(&root);
    let diagnostics = server.open(&uri, &text);
    assert_eq!(
        codes(&diagnostics),
        ["SPF001", "SPF001"],
        "{diagnostics:#?}"
    );
    assert_eq!(diagnostics[0]["range"], range((7, 17), (7, 21)));
    assert_eq!(diagnostics[1]["range"], range((8, 23), (8, 27)));
    assert_eq!(server.stop(), Some(0));
}

#[test]
fn random_documents_get_answers_and_edits_that_apply() {
    const PIECES: &[&str] = &[
        "@",
        " ",
        "\t",
        "\n",
        "\r\n",
        "\r",
        "(",
        ")",
        "\"",
        ";",
        "\\",
        "$ORIGIN ",
        "$TTL ",
        "$INCLUDE ",
        "$GENERATE ",
        "IN ",
        "TXT ",
        "MX ",
        "A ",
        "SOA ",
        "v=spf1 ",
        "+all",
        "~all",
        "include:",
        "v=DMARC1; p=none",
        "_dmarc ",
        "example.com.",
        "10 ",
        "192.0.2.1",
        "é",
        "☕",
        "😀",
        "\u{0}",
        "\u{feff}",
        "; zonelint: ignore[SPF001] r",
        "ns1 ",
        "v=DKIM1; k=rsa; t=y; p=",
        "s._domainkey ",
        "redirect=",
        "_spf.example.com",
        "exists:%{i}.",
    ];
    let directory = workspace("");
    let root = directory.path().canonicalize().unwrap();
    let uri = file_uri(&root.join("db.example.com"));
    let mut server = Server::start(&root);
    server.initialize(&root);
    // A fixed linear congruential sequence: the same documents every run.
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = |bound: usize| {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (state >> 33) as usize % bound
    };
    let mut text = String::new();
    for version in 1..=150 {
        text.clear();
        for _ in 0..next(120) {
            text.push_str(PIECES[next(PIECES.len())]);
        }
        let diagnostics = if version == 1 {
            server.open(&uri, &text)
        } else {
            server.change(&uri, version, &text)
        };
        for diagnostic in &diagnostics {
            let (start, end) = (&diagnostic["range"]["start"], &diagnostic["range"]["end"]);
            assert!(offset(&text, start) <= offset(&text, end), "{diagnostic}");
        }
        for action in server.code_actions(&uri, &range((0, 0), (u32::MAX, 0))) {
            let edits = action["edit"]["changes"][uri.as_str()].as_array().unwrap();
            for edit in edits {
                let range = &edit["range"];
                assert!(offset(&text, &range["start"]) <= offset(&text, &range["end"]));
            }
            apply(&text, &uri, &action);
        }
        // Hovers anywhere (past the end of a line or of the text too) answer.
        for _ in 0..4 {
            let response = server.request(
                "textDocument/hover",
                json!({
                    "textDocument": {"uri": uri},
                    "position": {"line": next(12), "character": next(60)},
                }),
            );
            assert!(response.get("error").is_none(), "{response}");
        }
    }
    assert_eq!(server.stop(), Some(0));
}

#[test]
fn an_unsaved_document_without_an_origin_is_told_how_to_give_one() {
    let directory = workspace("");
    let root = directory.path().canonicalize().unwrap();
    let mut server = Server::start(&root);
    server.initialize(&root);
    let uri = "untitled:Untitled-1";
    let diagnostics = server.open(uri, "www 300 IN A 192.0.2.1\n");
    assert_eq!(codes(&diagnostics), ["PARSE010"], "{diagnostics:#?}");
    let message = diagnostics[0]["message"].as_str().unwrap();
    assert!(
        message.contains("\nhelp: No origin could be inferred"),
        "{message}"
    );
    assert!(message.contains("$ORIGIN example.com."), "{message}");
    // Parse errors cannot be suppressed: no suppression is offered.
    let actions = server.code_actions(uri, &range((0, 0), (0, 3)));
    assert!(
        actions
            .iter()
            .all(|a| !a["title"].as_str().unwrap().starts_with("Suppress")),
        "{actions:#?}"
    );
    assert_eq!(server.stop(), Some(0));
}

#[test]
fn a_finding_in_an_included_file_is_shown_on_its_include_line() {
    let directory = workspace("");
    let root = directory.path().canonicalize().unwrap();
    std::fs::create_dir(root.join("inc")).unwrap();
    std::fs::write(
        root.join("inc/mail.inc"),
        "; mail\n@ IN TXT \"v=spf1 +all\"\n",
    )
    .unwrap();
    let uri = file_uri(&root.join("db.example.com"));
    let text = ZONE
        .replace("@ IN TXT \"v=spf1 +all\"\n", "$INCLUDE \"inc/mail.inc\"\n")
        .replace("café☕😀 IN TXT \"v=spf1 +all\"\n", "");
    let mut server = Server::start(&root);
    server.initialize(&root);
    let diagnostics = server.open(&uri, &text);
    assert_eq!(codes(&diagnostics), ["SPF001"], "{diagnostics:#?}");
    let diagnostic = &diagnostics[0];
    assert_eq!(diagnostic["range"], range((7, 0), (7, 23)));
    let message = diagnostic["message"].as_str().unwrap();
    assert!(message.starts_with("in `"), "{message}");
    assert!(message.contains("inc/mail.inc`: `+all`"), "{message}");
    let related = &diagnostic["relatedInformation"][0]["location"];
    assert_eq!(related["uri"], file_uri(&root.join("inc/mail.inc")));
    assert_eq!(related["range"], range((1, 17), (1, 21)));
    // The fix edits the included file, by its own URI.
    let actions = server.code_actions(&uri, &range((7, 3), (7, 3)));
    let edit = &actions[0]["edit"]["changes"][file_uri(&root.join("inc/mail.inc"))][0];
    assert_eq!(edit["newText"], "-all", "{actions:#?}");
    assert_eq!(server.stop(), Some(0));
}

#[test]
fn a_broken_config_is_reported_and_the_defaults_apply() {
    let directory = workspace("select = 3\n");
    let root = directory.path().canonicalize().unwrap();
    let uri = file_uri(&root.join("db.example.com"));
    let mut server = Server::start(&root);
    server.initialize(&root);
    let diagnostics = server.open(&uri, ZONE);
    assert_eq!(
        codes(&diagnostics),
        ["", "SPF001", "SPF001"],
        "{diagnostics:#?}"
    );
    assert_eq!(diagnostics[0]["range"], range((0, 0), (0, 0)));
    let message = diagnostics[0]["message"].as_str().unwrap();
    assert!(
        message.contains("the configuration is invalid"),
        "{message}"
    );
    assert!(
        message.ends_with("(linted with the default settings)"),
        "{message}"
    );
    assert_eq!(server.stop(), Some(0));
}

/// `example.com.`, whose SPF record includes `_spf.example.net.`.
const INCLUDER: &str = "$TTL 3600
@ IN SOA ns1.example.com. hostmaster.example.com. 1 7200 3600 1209600 3600
@ IN NS ns1.example.net.
@ IN TXT \"v=spf1 include:_spf.example.net include:spf.example.org -all\"
_dmarc IN TXT \"v=DMARC1; p=reject; rua=mailto:dmarc@example.com\"
sel._domainkey IN TXT \"v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=\"
@ IN MX 10 ns1.example.net.
@ IN NS ns2.example.org.
";

/// `example.net.`, whose `_spf` record passes `all` with `qualifier`, after an `a`, an
/// `mx` and an `include:`.
fn included(qualifier: &str) -> String {
    format!(
        "$TTL 3600
@ IN SOA ns1.example.net. hostmaster.example.net. 1 7200 3600 1209600 3600
@ IN NS ns1.example.net.
ns1 IN A 192.0.2.1
ns1 IN TXT \"v=spf1 a -all\"
@ IN TXT \"v=spf1 -all\"
_dmarc IN TXT \"v=DMARC1; p=reject; rua=mailto:dmarc@example.net\"
@ IN MX 10 ns1.example.net.
_spf IN TXT \"v=spf1 a:ns1.example.net mx:example.net include:_more.example.net {qualifier}all\"
_more IN TXT \"v=spf1 ip4:192.0.2.0/24 -all\"
@ IN NS ns2.example.org.
"
    )
}

#[test]
fn hover_counts_the_lookups_of_the_include_tree_and_explains_dmarc_and_dkim_tags() {
    let directory = workspace("");
    let root = directory.path().canonicalize().unwrap();
    let com = file_uri(&root.join("db.example.com"));
    let net = file_uri(&root.join("db.example.net"));
    let mut server = Server::start(&root);
    server.initialize(&root);
    // Neither is on disk: the other open document is read from the editor.
    server.open(&net, &included("-"));
    server.open(&com, INCLUDER);
    let spf_line = 3;
    let line = INCLUDER.lines().nth(spf_line).unwrap();
    let record = server.hover(&com, spf_line, line.find("v=spf1").unwrap() + 1);
    // include:_spf (1) + a (1) + mx (1) + include:_more (1) + include:spf.example.org (≥1).
    assert!(
        record.contains("**≥5/10 DNS lookups** for the SPF record of `example.com.`"),
        "{record}"
    );
    assert!(
        record.ends_with(
            "Void lookups: 0/2 (IPv4), 1/2 (IPv6).

- `include:_spf.example.net`: 4 lookups with `_spf.example.net.`'s record
  - `a:ns1.example.net` (void lookup for IPv6)
  - `mx:example.net` (1 MX host)
  - `include:_more.example.net`: 1 lookup with `_more.example.net.`'s record
- `include:spf.example.org`: ≥1, `spf.example.org.` is not in the loaded zones"
        ),
        "{record}"
    );
    // On an include: what it does, and its subtree only.
    let include = server.hover(&com, spf_line, line.find("include:_spf").unwrap() + 3);
    assert!(include.contains("one DNS lookup"), "{include}");
    assert!(
        include.contains("**3/10 DNS lookups** for the SPF record of `_spf.example.net.`"),
        "{include}"
    );
    // The owner of the record is not the policy.
    assert_eq!(server.hover(&com, spf_line, 0), "");
    let dmarc = INCLUDER.lines().nth(4).unwrap();
    let policy = server.hover(&com, 4, dmarc.find("p=reject").unwrap() + 1);
    assert!(
        policy.starts_with("DMARC `p=reject`: the policy"),
        "{policy}"
    );
    let rua = server.hover(&com, 4, dmarc.find("rua").unwrap());
    assert!(rua.contains("aggregate reports"), "{rua}");
    let dkim = INCLUDER.lines().nth(5).unwrap();
    let key_type = server.hover(&com, 5, dkim.find("k=").unwrap());
    assert!(
        key_type.starts_with("DKIM `k=ed25519`: the key type"),
        "{key_type}"
    );
    assert_eq!(server.stop(), Some(0));
}

#[test]
fn an_edit_of_one_zone_relints_the_open_zones_that_depend_on_it() {
    let directory = workspace(NO_EXTERNAL_NOTES);
    let root = directory.path().canonicalize().unwrap();
    // On disk the included record passes everyone; the editor's text of it does not.
    std::fs::write(root.join("db.example.net"), included("+")).unwrap();
    let com = file_uri(&root.join("db.example.com"));
    let net = file_uri(&root.join("db.example.net"));
    let mut server = Server::start(&root);
    server.initialize(&root);
    assert_eq!(server.open(&net, &included("-")), Vec::<Value>::new());
    let mut diagnostics = server.open(&com, INCLUDER);
    // The folder is read on another thread; once read, the open buffer still wins, so
    // nothing new is published for example.com.
    assert_eq!(codes(&diagnostics), Vec::<&str>::new(), "{diagnostics:#?}");
    // An unsaved edit of example.net shows in example.com, which was not touched.
    server.change(&net, 2, &included("+"));
    let published = server.publication(&com);
    assert_eq!(published["version"], 1, "{published}");
    diagnostics = published["diagnostics"].as_array().unwrap().clone();
    assert_eq!(codes(&diagnostics), ["SPF005"], "{diagnostics:#?}");
    assert_eq!(diagnostics[0]["range"], range((3, 17), (3, 41)));
    // And undoing it clears the finding again.
    assert_eq!(server.change(&net, 3, &included("-")), Vec::<Value>::new());
    assert_eq!(server.diagnostics(&com), Vec::<Value>::new());
    // Closing example.net: its file on disk (which passes everyone) takes its place.
    server.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": net}}),
    );
    assert_eq!(server.diagnostics(&net), Vec::<Value>::new());
    assert_eq!(codes(&server.diagnostics(&com)), ["SPF005"]);
    assert_eq!(server.stop(), Some(0));
}

#[test]
fn an_edit_of_an_included_file_relints_the_zone_that_includes_it() {
    let directory = workspace("");
    let root = directory.path().canonicalize().unwrap();
    std::fs::create_dir(root.join("inc")).unwrap();
    std::fs::write(root.join("inc/mail.inc"), "@ IN TXT \"v=spf1 -all\"\n").unwrap();
    let parent = file_uri(&root.join("db.example.com"));
    let include = file_uri(&root.join("inc/mail.inc"));
    let text = "$TTL 3600
@ IN SOA ns1.example.com. hostmaster.example.com. 1 7200 3600 1209600 3600
@ IN NS ns1.example.net.
@ IN MX 10 ns1.example.net.
_dmarc IN TXT \"v=DMARC1; p=reject; rua=mailto:dmarc@example.com\"
sel._domainkey IN TXT \"v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=\"
$INCLUDE inc/mail.inc
@ IN NS ns2.example.org.
";
    let mut server = Server::start(&root);
    server.initialize(&root);
    assert_eq!(server.open(&parent, text), Vec::<Value>::new());
    server.open(&include, "@ IN TXT \"v=spf1 -all\"\n");
    server.change(&include, 2, "@ IN TXT \"v=spf1 +all\"\n");
    let diagnostics = server.diagnostics(&parent);
    assert_eq!(codes(&diagnostics), ["SPF001"], "{diagnostics:#?}");
    assert_eq!(diagnostics[0]["range"], range((6, 0), (6, 21)));
    assert_eq!(server.stop(), Some(0));
}

/// Replaces the file at `path` as editors and version control do, by renaming a whole
/// file over it. The server reads the folder on another thread whenever a watched file
/// changes, and a lint reads the configs afresh: a file written in place (truncated,
/// then filled) could be read half written by a lint the test did not ask for, whose
/// findings would come before the ones the test waits for (seen once in CI).
fn replace_file(path: &Path, contents: &str) {
    let folder = path.parent().unwrap();
    // Beside the workspace folder, not in it: the server never sees the new file under
    // a name of its own.
    let staged = folder.parent().unwrap().join(format!(
        "{}.{}.new",
        folder.file_name().unwrap().to_string_lossy(),
        path.file_name().unwrap().to_string_lossy()
    ));
    std::fs::write(&staged, contents).unwrap();
    std::fs::rename(&staged, path).unwrap();
}

#[test]
fn watched_files_are_registered_and_their_changes_relint() {
    let directory = workspace(NO_EXTERNAL_NOTES);
    let root = directory.path().canonicalize().unwrap();
    std::fs::write(root.join("db.example.net"), included("+")).unwrap();
    let com = file_uri(&root.join("db.example.com"));
    let mut server = Server::start(&root);
    server.initialize_with(
        &root,
        &json!({"workspace": {"didChangeWatchedFiles": {"dynamicRegistration": true}}}),
    );
    // The server asks the client to watch zone files and configs.
    let registration = loop {
        let message = server.receive();
        if message["method"] == "client/registerCapability" {
            break message;
        }
        server.pending.push_back(message);
    };
    let registered = &registration["params"]["registrations"][0];
    assert_eq!(registered["method"], "workspace/didChangeWatchedFiles");
    let globs: Vec<&str> = registered["registerOptions"]["watchers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|watcher| watcher["globPattern"].as_str().unwrap())
        .collect();
    assert!(globs.contains(&"**/*.zone"), "{globs:?}");
    assert!(globs.contains(&"**/zonelint.toml"), "{globs:?}");
    server.send(&json!({"jsonrpc": "2.0", "id": registration["id"], "result": null}));
    let mut diagnostics = server.open(&com, INCLUDER);
    while diagnostics.is_empty() {
        diagnostics = server.diagnostics(&com);
    }
    assert_eq!(codes(&diagnostics), ["SPF005"], "{diagnostics:#?}");
    let changed = |path: &Path| json!({"changes": [{"uri": file_uri(path), "type": 2}]});
    // The config changes (each lint reads it afresh; the notification says when).
    replace_file(
        &root.join("zonelint.toml"),
        "ignore = [\"SPF005\", \"SPF037\"]\n",
    );
    server.notify(
        "workspace/didChangeWatchedFiles",
        changed(&root.join("zonelint.toml")),
    );
    assert_eq!(server.diagnostics(&com), Vec::<Value>::new());
    replace_file(&root.join("zonelint.toml"), NO_EXTERNAL_NOTES);
    server.notify(
        "workspace/didChangeWatchedFiles",
        changed(&root.join("zonelint.toml")),
    );
    assert_eq!(codes(&server.diagnostics(&com)), ["SPF005"]);
    // The other zone file changes on disk (another tool, a `git checkout`).
    replace_file(&root.join("db.example.net"), &included("-"));
    server.notify(
        "workspace/didChangeWatchedFiles",
        changed(&root.join("db.example.net")),
    );
    assert_eq!(server.diagnostics(&com), Vec::<Value>::new());
    assert_eq!(server.stop(), Some(0));
}

#[test]
fn a_cancelled_request_is_answered_as_cancelled() {
    let directory = workspace("");
    let root = directory.path().canonicalize().unwrap();
    let uri = file_uri(&root.join("db.example.com"));
    let mut server = Server::start(&root);
    server.initialize(&root);
    server.open(&uri, ZONE);
    // A large change, so that the hover waits for its lint while the cancel arrives.
    let mut large = ZONE.to_owned();
    for index in 0..20_000 {
        large.push_str(&format!("host{index} IN A 192.0.2.1\n"));
    }
    let change = json!({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
        "textDocument": {"uri": uri, "version": 2},
        "contentChanges": [{"text": large}],
    }});
    let hover = json!({"jsonrpc": "2.0", "id": 99, "method": "textDocument/hover", "params": {
        "textDocument": {"uri": uri},
        "position": {"line": 7, "character": 17},
    }});
    let cancel = json!({"jsonrpc": "2.0", "method": "$/cancelRequest", "params": {"id": 99}});
    let mut burst = String::new();
    for message in [&change, &hover, &cancel] {
        let body = message.to_string();
        burst.push_str(&format!("Content-Length: {}\r\n\r\n{body}", body.len()));
    }
    let stdin = server.stdin.as_mut().unwrap();
    stdin.write_all(burst.as_bytes()).unwrap();
    stdin.flush().unwrap();
    let answer = loop {
        let message = server.receive();
        if message["id"] == 99 {
            break message;
        }
        server.pending.push_back(message);
    };
    assert_eq!(answer["error"]["code"], -32800, "{answer}");
    // The change was still linted.
    assert_eq!(server.change(&uri, 3, ZONE).len(), 2);
    assert_eq!(server.stop(), Some(0));
}

#[test]
fn the_editor_configs_in_the_docs_are_the_ones_the_editor_checks_run() {
    // scripts/editor-check.sh runs Neovim and Emacs with these files: the docs must show
    // them as they are.
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let read = |path: &str| std::fs::read_to_string(root.join(path)).unwrap();
    let docs = read("docs/editors.md");
    for (language, script) in [
        ("lua", "scripts/nvim-zonelint.lua"),
        ("elisp", "scripts/emacs-zonelint.el"),
    ] {
        let block = format!("```{language}\n{}```", read(script));
        assert!(
            docs.contains(&block),
            "docs/editors.md does not show {script}"
        );
    }
}
