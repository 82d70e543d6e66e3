// Every command registers itself on the program; `setExitCode` records the process exit code.
import type { Command } from 'commander';
import { registerAdd } from './add.ts';
import { registerAuth } from './auth.ts';
import { registerBreaking } from './breaking.ts';
import { registerCanIDeploy } from './can-i-deploy.ts';
import { registerCatalog } from './catalog.ts';
import { registerCodegen } from './codegen.ts';
import { registerContracts } from './contracts.ts';
import { registerInit } from './init.ts';
import { registerLint } from './lint.ts';
import { registerMonitor } from './monitor.ts';
import { registerProvision } from './provision.ts';
import { registerRollout } from './rollout.ts';
import { registerVerify } from './verify.ts';

export type RegisterCommand = (program: Command, setExitCode: (code: number) => void) => void;

// Each command module adds one line here.
export const commands: RegisterCommand[] = [
  registerInit,
  registerAdd,
  registerLint,
  registerBreaking,
  registerCodegen,
  registerVerify,
  registerCanIDeploy,
  registerContracts,
  registerCatalog,
  registerProvision,
  registerMonitor,
  registerRollout,
  registerAuth,
];
