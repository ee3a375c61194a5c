/**
 * The registry of `falx` subcommands, in the order `falx --help` lists them. A new command is one
 * file in this folder plus one line here.
 */
import type { Command } from '../command.ts';
import { checkCommand } from './check.ts';
import { compileCommand } from './compile.ts';
import { diffCommand } from './diff.ts';
import { evalCommand } from './eval.ts';
import { explainCommand } from './explain.ts';
import { fmtCommand } from './fmt.ts';
import { importCommand } from './import.ts';
import { routeCommand } from './route.ts';
import { serveCommand } from './serve.ts';
import { silenceCommand } from './silence.ts';
import { testCommand } from './test.ts';

export const commands: readonly Command[] = [compileCommand, testCommand, checkCommand, fmtCommand, importCommand, explainCommand, diffCommand, evalCommand, serveCommand, routeCommand, silenceCommand];
