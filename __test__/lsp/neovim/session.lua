-- An editing session in headless Neovim (0.7 and later: vim.lsp.start_client) against `tdd-fast lsp --stdio`, as a
-- user would run it: open a file, wait for diagnostics, type a syntax error and take it back, edit, see them change,
-- hover, save, run the "Generate tests" code action, find the generated file. What it saw goes to $TDD_OUT as JSON for the vitest test to check.
local root = vim.env.TDD_ROOT
local results = { steps = {} }

local function step(name)
  table.insert(results.steps, name)
end

local function finish(err)
  results.error = err
  local file = assert(io.open(vim.env.TDD_OUT, 'w'))
  file:write(vim.fn.json_encode(results))
  file:close()
  vim.cmd('qa!')
end

local function session()
  local capabilities = vim.lsp.protocol.make_client_capabilities()
  capabilities.window = capabilities.window or {}
  -- Neovim 0.8+ opens documents the server shows; 0.7 has no handler, so this session provides one.
  capabilities.window.showDocument = { support = true }
  local shown = {}
  local client_id = vim.lsp.start_client({
    name = 'tdd-fast',
    cmd = { vim.env.TDD_NODE, vim.env.TDD_CLI, 'lsp', '--stdio' },
    root_dir = root,
    workspace_folders = { { uri = vim.uri_from_fname(root), name = 'project' } },
    capabilities = capabilities,
    handlers = {
      ['window/showDocument'] = function(_, result)
        table.insert(shown, result.uri)
        return { success = true }
      end,
    },
  })
  assert(client_id, 'the server did not start')
  local client = vim.lsp.get_client_by_id(client_id)

  vim.cmd('edit ' .. vim.fn.fnameescape(root .. '/src/cart.ts'))
  local bufnr = vim.api.nvim_get_current_buf()
  vim.lsp.buf_attach_client(bufnr, client_id)
  local uri = vim.uri_from_bufnr(bufnr)
  local function diagnostics()
    local out = {}
    for _, d in ipairs(vim.diagnostic.get(bufnr)) do
      table.insert(out, { code = d.code, lnum = d.lnum, message = d.message })
    end
    return out
  end

  assert(vim.wait(30000, function() return #vim.diagnostic.get(bufnr) > 0 end, 20), 'no diagnostics after opening')
  results.opened = diagnostics()
  step('diagnostics')

  -- A function typed between two others, its brace not closed yet (the parser gives up at the end of the file): the
  -- syntax error joins the findings of the functions before and after it, each at its own line.
  local typed = { '', 'export function broken(x: number) {', '  if (x) {', '    return x;', '  }' }
  vim.api.nvim_buf_set_lines(bufnr, 5, 5, false, typed)
  local function has_syntax_error()
    for _, d in ipairs(vim.diagnostic.get(bufnr)) do
      if d.code == 'parse-error' then return true end
    end
    return false
  end
  assert(vim.wait(30000, has_syntax_error, 20), 'no syntax error after typing an unclosed function')
  results.broken = diagnostics()
  vim.api.nvim_buf_set_lines(bufnr, 5, 5 + #typed, false, {})
  assert(vim.wait(30000, function() return not has_syntax_error() end, 20), 'the syntax error stayed after deleting the function')
  results.repaired = diagnostics()
  step('syntax error')

  -- Two parameters and a rest parameter instead of seven: the long-parameter-list finding must go.
  vim.api.nvim_buf_set_lines(bufnr, 6, 7, false, { 'export function many(a: number, b: number, ...c: number[]) {' })
  assert(vim.wait(30000, function() return #vim.diagnostic.get(bufnr) == 0 end, 20), 'diagnostics did not change after the edit')
  results.edited = diagnostics()
  step('edit')

  local hover = client.request_sync('textDocument/hover', { textDocument = { uri = uri }, position = { line = 0, character = 18 } }, 10000, bufnr)
  results.hover = hover and hover.result and hover.result.contents.value or vim.inspect(hover)
  step('hover')

  vim.cmd('write')
  local actions = client.request_sync('textDocument/codeAction', {
    textDocument = { uri = uri },
    range = { start = { line = 1, character = 0 }, ['end'] = { line = 1, character = 0 } },
    context = { diagnostics = {} },
  }, 10000, bufnr)
  results.actions = {}
  for _, action in ipairs(actions.result or {}) do
    table.insert(results.actions, action.title)
  end
  step('code actions')

  local generated = client.request_sync('workspace/executeCommand', actions.result[1].command, 240000, bufnr)
  assert(generated and generated.result, 'generation failed: ' .. vim.inspect(generated))
  results.generated = generated.result
  results.shown = shown
  local output = root .. '/src/cart.generated.test.ts'
  results.exists = vim.loop.fs_stat(output) ~= nil
  if #shown > 0 then
    vim.cmd('edit ' .. vim.fn.fnameescape(vim.uri_to_fname(shown[1])))
    results.shown_buffer = vim.api.nvim_buf_get_name(0)
    results.shown_first_line = vim.api.nvim_buf_get_lines(0, 0, 1, false)[1]
  end
  step('generate')
  vim.lsp.stop_client(client_id)
end

local ok, err = pcall(session)
finish(not ok and tostring(err) or vim.NIL)
