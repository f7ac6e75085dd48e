import type { CommandDef } from './command.ts';
import { accountCheck, accountDelete, accountImport, multiAccountImport } from './commands/account-commands.ts';
import { adminGetRoamMsg, adminMsgWithdraw } from './commands/history-commands.ts';
import { importMsg, modifyC2cMsg } from './commands/message-edit-commands.ts';
import { deleteRecentContact, getRecentContactList } from './commands/recent-contact-commands.ts';
import { kick, queryOnlineStatus, queryState } from './commands/state-commands.ts';
import { adminSetMsgRead, c2cMsgReadReceipt, getC2cUnreadMsgNum } from './commands/read-commands.ts';
import { batchSendMsg, sendMsg } from './commands/send-commands.ts';

/** Every built-in REST command. Other modules (the dispatcher's admin commands) are added by `createCommandTable`. */
export const coreCommands: CommandDef[] = [
  accountImport,
  multiAccountImport,
  accountCheck,
  accountDelete,
  sendMsg,
  batchSendMsg,
  adminSetMsgRead,
  getC2cUnreadMsgNum,
  adminGetRoamMsg,
  adminMsgWithdraw,
  c2cMsgReadReceipt,
  importMsg,
  modifyC2cMsg,
  kick,
  queryOnlineStatus,
  queryState,
  getRecentContactList,
  deleteRecentContact,
];

/** Commands by `service/command`. */
export type CommandTable = ReadonlyMap<string, CommandDef>;

/** Builds the lookup table from command definitions. */
export function createCommandTable(commands: CommandDef[]): CommandTable {
  return new Map(commands.map((c) => [`${c.service}/${c.command}`, c]));
}
