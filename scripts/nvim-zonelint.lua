vim.g.do_filetype_lua = 1 -- Neovim 0.7 only: use the Lua filetype detection
vim.filetype.add({
  pattern = { ['db%..+'] = 'bindzone', ['.+%.zone'] = 'bindzone', ['.+%.zone%.signed'] = 'bindzone' },
})
local zonelint
vim.api.nvim_create_autocmd('FileType', {
  pattern = 'bindzone',
  callback = function(args)
    -- One server for every zone, so that each sees the others' unsaved text.
    zonelint = zonelint or vim.lsp.start_client({
      name = 'zonelint',
      cmd = { 'zonelint', 'server' },
      root_dir = vim.fn.getcwd(),
      on_exit = function() zonelint = nil end,
    })
    vim.lsp.buf_attach_client(args.buf, zonelint)
  end,
})
