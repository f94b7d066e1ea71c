-- nnc for Neovim 0.7 or later: the .nn filetype and the nnc language server (`nnc lsp`).
-- See docs/editors.md. In your init.lua, with this folder on 'runtimepath' (or dofile() it):
--
--   require('nnc').setup()                                     -- 'nnc' on PATH
--   require('nnc').setup({ cmd = { '/path/to/nnc/nnc', 'lsp' } }) -- or the launcher in a clone
--
-- Options: cmd (the server command), on_attach (function(client, bufnr), e.g. for key maps),
-- root_dir (default: the current directory).
local M = {}

function M.setup(opts)
  opts = opts or {}
  local cmd = opts.cmd or { 'nnc', 'lsp' }
  local group = vim.api.nvim_create_augroup('nnc', { clear = true })
  vim.api.nvim_create_autocmd({ 'BufRead', 'BufNewFile' }, {
    group = group, pattern = '*.nn', command = 'setfiletype nn',
  })
  vim.api.nvim_create_autocmd('FileType', {
    group = group,
    pattern = 'nn',
    callback = function(args)
      vim.bo[args.buf].commentstring = '# %s'
      vim.bo[args.buf].expandtab = true
      vim.bo[args.buf].shiftwidth = 4
      vim.bo[args.buf].omnifunc = 'v:lua.vim.lsp.omnifunc'
      -- One server for all .nn buffers; started on the first one.
      if M.client_id == nil or vim.lsp.get_client_by_id(M.client_id) == nil then
        M.client_id = vim.lsp.start_client({
          name = 'nnc',
          cmd = cmd,
          root_dir = opts.root_dir or vim.fn.getcwd(),
          on_attach = opts.on_attach,
        })
      end
      if M.client_id ~= nil then
        vim.lsp.buf_attach_client(args.buf, M.client_id)
      end
    end,
  })
end

return M
