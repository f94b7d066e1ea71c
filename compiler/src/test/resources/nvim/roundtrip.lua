-- Drives Neovim's built-in LSP client against nnc lsp, headless, for NvimRoundTripTest.
-- Parameters come as JSON in $NNC_TEST; what the editor received goes to P.out as JSON.
local P = vim.fn.json_decode(os.getenv('NNC_TEST'))
local out = {}

local function diagnostics(buf)
  local list = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    table.insert(list, { lnum = d.lnum, col = d.col, end_lnum = d.end_lnum, end_col = d.end_col, message = d.message })
  end
  return list
end

local function request(buf, method, position)
  local params = { textDocument = { uri = vim.uri_from_bufnr(buf) }, position = position }
  local responses, err = vim.lsp.buf_request_sync(buf, method, params, P.timeout)
  if responses == nil then
    return { error = tostring(err) }
  end
  for _, r in pairs(responses) do
    return { result = r.result, error = r.err and r.err.message or nil }
  end
  return { error = 'no response' }
end

local ok, err = pcall(function()
  dofile(P.snippet).setup({ cmd = P.cmd })
  local started = vim.loop.hrtime()
  vim.cmd('edit ' .. vim.fn.fnameescape(P.file))
  local buf = vim.api.nvim_get_current_buf()
  out.filetype = vim.bo[buf].filetype
  out.attached = vim.wait(P.timeout, function() return #vim.lsp.buf_get_clients(buf) > 0 end, 10)
  vim.wait(P.timeout, function() return #vim.diagnostic.get(buf) > 0 end, 10)
  out.first_diagnostics_ms = (vim.loop.hrtime() - started) / 1e6
  out.diagnostics = diagnostics(buf)
  out.hover = request(buf, 'textDocument/hover', P.hover)
  out.definition = request(buf, 'textDocument/definition', P.definition)
  out.completion = request(buf, 'textDocument/completion', P.completion)
  -- The edit that fixes the error, as typing would: the buffer changes, the client sends didChange.
  vim.api.nvim_buf_set_text(buf, P.fix.line, P.fix.col, P.fix.line, P.fix.col, { P.fix.text })
  out.cleared = vim.wait(P.timeout, function() return #vim.diagnostic.get(buf) == 0 end, 10)
  out.after_fix = diagnostics(buf)
end)
out.ok = ok
out.error = err and tostring(err) or nil
local f = io.open(P.out, 'w')
f:write(vim.fn.json_encode(out))
f:close()
vim.cmd('qa!')
