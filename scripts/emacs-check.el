;;; emacs-check.el --- drive `zonelint server' from `emacs --batch' with eglot  -*- lexical-binding: t -*-
;; Configured by scripts/emacs-zonelint.el (the snippet in docs/editors.md); run by
;; scripts/editor-check.sh emacs in a folder holding db.example.com and db.example.net.
(require 'eglot)
(require 'flymake)

(defun check-say (format-string &rest arguments)
  (princ (concat (apply #'format format-string arguments) "\n")))

(defun check-wait (condition)
  "Let the server's messages in until CONDITION holds (10 s at most)."
  (let ((deadline (+ (float-time) 10)))
    (while (and (not (funcall condition)) (< (float-time) deadline))
      (accept-process-output nil 0.05))))

(defun check-open (file)
  "Visit FILE as a user would: `eglot-ensure' connects after the command."
  (find-file file)
  (run-hooks 'post-command-hook)
  (check-wait (lambda () (eglot-managed-p)))
  (current-buffer))

(defun check-diagnostics (buffer)
  "BUFFER's Flymake diagnostics, as lines."
  (with-current-buffer buffer
    (flymake-start)
    (check-wait (lambda () (flymake-diagnostics)))
    (mapcar (lambda (diagnostic)
              (let ((beg (flymake-diagnostic-beg diagnostic)))
                (format "  line %d col %d %s %s"
                        (line-number-at-pos beg)
                        (save-excursion (goto-char beg) (current-column))
                        (flymake-diagnostic-type diagnostic)
                        (car (split-string (flymake-diagnostic-text diagnostic) "\n")))))
            (flymake-diagnostics))))

(let* ((net (check-open "db.example.net"))
       (com (check-open "db.example.com"))
       (server (with-current-buffer com (eglot-current-server))))
  (check-say "major mode: %s, eglot server: %s, managed buffers: %d"
             (buffer-local-value 'major-mode com)
             (and server (eglot--project-nickname server))
             (length (eglot--managed-buffers server)))
  (check-say "db.example.com diagnostics:")
  (mapc #'check-say (check-diagnostics com))
  (with-current-buffer com
    (goto-char (point-min))
    (search-forward "v=spf1")
    (backward-char 2)
    (let ((hover (jsonrpc-request server :textDocument/hover
                                  (eglot--TextDocumentPositionParams))))
      (check-say "hover on v=spf1 (line %d):\n%s" (line-number-at-pos)
                 (plist-get (plist-get hover :contents) :value)))
    (goto-char (point-min))
    (search-forward "~all")
    (dolist (action (append (jsonrpc-request
                             server :textDocument/codeAction
                             (list :textDocument (eglot--TextDocumentIdentifier)
                                   :range (list :start (eglot--pos-to-lsp-position (- (point) 4))
                                                :end (eglot--pos-to-lsp-position (point)))
                                   :context (list :diagnostics [])))
                            nil))
      (check-say "code action: %s" (plist-get action :title))))
  ;; An unsaved edit of db.example.net: its `_spf' record now lets everyone send.
  (with-current-buffer net
    (goto-char (point-min))
    (re-search-forward "^_spf IN TXT \"v=spf1 .*\"$")
    (replace-match "_spf IN TXT \"v=spf1 +all\"" t t)
    ;; Eglot sends the change from an idle timer (`eglot-send-changes-idle-time'),
    ;; and a batch Emacs is never idle: send it as that timer would.
    (eglot--signal-textDocument/didChange))
  (let ((before (check-diagnostics com)))
    (check-wait (lambda () (not (equal (check-diagnostics com) before)))))
  (check-say "db.example.com diagnostics after the unsaved edit of db.example.net:")
  (mapc #'check-say (check-diagnostics com))
  (check-say "db.example.net modified, unsaved: %s" (buffer-modified-p net))
  (eglot-shutdown server)
  (check-say "server running after eglot-shutdown: %s" (jsonrpc-running-p server)))
