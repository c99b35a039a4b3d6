-- Drives `zonelint server` from headless Neovim 0.7 and later, configured by
-- scripts/nvim-zonelint.lua (the snippet in docs/editors.md): opens two zones, prints the
-- diagnostics and an SPF hover, then edits the other zone without saving it and prints
-- the first zone's diagnostics again. Run by scripts/editor-check.sh nvim.
local function say(text) io.stdout:write(text, '\n') end
local function wait(condition) return vim.wait(10000, condition, 50) end
local function show(buffer)
  for _, d in ipairs(vim.diagnostic.get(buffer)) do
    local code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code) or ''
    say(string.format('  %d:%d-%d:%d %s %s %s', d.lnum, d.col, d.end_lnum, d.end_col,
      d.source, code, (d.message:gsub('\n.*', ''))))
  end
end

vim.o.hidden = true
vim.cmd('edit db.example.net')
local net = vim.api.nvim_get_current_buf()
vim.cmd('edit db.example.com')
local com = vim.api.nvim_get_current_buf()
wait(function() return #vim.diagnostic.get(com) > 0 end)
local clients = {}
for _, client in pairs(vim.lsp.get_active_clients()) do
  table.insert(clients, client.name .. ' ' .. client.id)
end
say('filetype: ' .. vim.bo[com].filetype .. ', clients: ' .. table.concat(clients, ', '))
say('db.example.com diagnostics:')
show(com)

local spf = vim.fn.search('v=spf1') - 1
local column = vim.fn.col('.') - 1
local hover = vim.lsp.buf_request_sync(com, 'textDocument/hover', {
  textDocument = { uri = vim.uri_from_bufnr(com) },
  position = { line = spf, character = column },
}, 10000)
for _, answer in pairs(hover or {}) do
  say('hover on v=spf1 (line ' .. (spf + 1) .. '):')
  say(answer.result and answer.result.contents.value or tostring(answer.err))
end

local finding = vim.diagnostic.get(com)[1]
local actions = vim.lsp.buf_request_sync(com, 'textDocument/codeAction', {
  textDocument = { uri = vim.uri_from_bufnr(com) },
  range = {
    start = { line = finding.lnum, character = finding.col },
    ['end'] = { line = finding.end_lnum, character = finding.end_col },
  },
  context = { diagnostics = {} },
}, 10000)
for _, answer in pairs(actions or {}) do
  for _, action in ipairs(answer.result or {}) do say('code action: ' .. action.title) end
end

-- An unsaved edit of db.example.net: its `_spf` record now lets everyone send.
local line
vim.api.nvim_buf_call(net, function() line = vim.fn.search('^_spf') end)
vim.api.nvim_buf_set_lines(net, line - 1, line, false, { '_spf IN TXT "v=spf1 +all"' })
local before = #vim.diagnostic.get(com)
wait(function() return #vim.diagnostic.get(com) ~= before end)
say('db.example.com diagnostics after the unsaved edit of db.example.net:')
show(com)
say('db.example.net modified, unsaved: ' .. tostring(vim.bo[net].modified))
vim.cmd('qa!')
