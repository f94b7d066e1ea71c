// The VS Code client of nnc's language server: starts `nnc lsp` over stdio for .nn files.
// Everything else (diagnostics, hover, completion, ...) comes from the server.
'use strict';
const vscode = require('vscode');
const { LanguageClient, TransportKind } = require('vscode-languageclient/node');

let client;

function serverOptions() {
  const config = vscode.workspace.getConfiguration('nnc');
  const command = config.get('path') || 'nnc';
  const args = ['lsp', '--debounce', String(config.get('debounce', 150))];
  return { command, args, transport: TransportKind.stdio };
}

async function start() {
  client = new LanguageClient('nnc', 'nnc', serverOptions(), {
    documentSelector: [{ language: 'nn', scheme: 'file' }, { language: 'nn', scheme: 'untitled' }],
  });
  try {
    await client.start();
  } catch (e) {
    vscode.window.showErrorMessage(
      `nnc: could not start '${serverOptions().command} lsp' (${e.message}). ` +
      "Set 'nnc.path' to the nnc launcher, e.g. /path/to/nnc/nnc.");
  }
}

async function activate(context) {
  await start();
  context.subscriptions.push(
    vscode.commands.registerCommand('nnc.restartServer', async () => {
      if (client) {
        await client.stop();
      }
      await start();
    }),
    vscode.workspace.onDidChangeConfiguration(async (e) => {
      if (e.affectsConfiguration('nnc')) {
        await vscode.commands.executeCommand('nnc.restartServer');
      }
    }));
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
