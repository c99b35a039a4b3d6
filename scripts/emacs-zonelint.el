(add-to-list 'auto-mode-alist '("\\.zone\\(\\.signed\\)?\\'" . dns-mode))
(add-to-list 'auto-mode-alist '("/db\\.[^/]+\\'" . dns-mode))
(with-eval-after-load 'eglot
  (add-to-list 'eglot-server-programs '(dns-mode . ("zonelint" "server"))))
(add-hook 'dns-mode-hook #'eglot-ensure)
