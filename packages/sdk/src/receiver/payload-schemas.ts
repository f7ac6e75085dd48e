import type { KnownCallbackCommand } from './callback-payloads.ts';

/** Field kinds: `object` is a JSON object; `int` accepts a JSON integer or a numeric string (converted); `?` marks optional fields. */
type Kind = 'string' | 'string?' | 'int' | 'int?' | 'object';
interface ListField {
  list: Schema;
  optional?: boolean;
}
type Field = Kind | ListField;
type Schema = Readonly<Record<string, Field>>;

const MSG_BODY_ELEMENT: Schema = { MsgType: 'string', MsgContent: 'object' };
const SEND_FIELDS: Schema = {
  From_Account: 'string',
  To_Account: 'string',
  MsgSeq: 'int',
  MsgRandom: 'int',
  MsgTime: 'int',
  MsgKey: 'string',
  MsgId: 'string?',
  OnlineOnlyFlag: 'int',
  MsgBody: { list: MSG_BODY_ELEMENT },
  CloudCustomData: 'string?',
  EventTime: 'int?',
};

/** What each known command's body must contain; extra fields are kept as they are. */
export const PAYLOAD_SCHEMAS: Readonly<Record<KnownCallbackCommand, Schema>> = {
  'C2C.CallbackAfterMsgReport': {
    Report_Account: 'string',
    Peer_Account: 'string',
    LastReadTime: 'int',
    UnreadMsgNum: 'int?',
    EventTime: 'int?',
  },
  'C2C.CallbackBeforeSendMsg': { ...SEND_FIELDS, MsgKey: 'string?' },
  'C2C.CallbackAfterSendMsg': { ...SEND_FIELDS, SendMsgResult: 'int', ErrorInfo: 'string', UnreadMsgNum: 'int' },
  'C2C.CallbackAfterMsgWithDraw': {
    From_Account: 'string',
    To_Account: 'string',
    MsgKey: 'string',
    UnreadMsgNum: 'int',
    EventTime: 'int?',
  },
  'C2C.CallbackAfterMsgReadReceipt': {
    Operator_Account: 'string',
    Peer_Account: 'string',
    C2CMsgInfo: { list: { From_Account: 'string', To_Account: 'string', MsgKey: 'string', MsgId: 'string?' } },
    EventTime: 'int',
  },
  'C2C.CallbackAfterMsgReadAll': {
    Report_Account: 'string',
    EventTime: 'int',
    GroupReadInfo: { list: { GroupId: 'string', MsgSeq: 'int' }, optional: true },
  },
  'State.StateChange': {
    Info: 'object',
    EventTime: 'int?',
  },
  'C2C.CallbackAfterModifyMsg': {
    Operator_Account: 'string',
    From_Account: 'string',
    To_Account: 'string',
    MsgSeq: 'int',
    MsgRandom: 'int',
    MsgTime: 'int',
    MsgKey: 'string',
    MsgId: 'string?',
    MsgBody: { list: MSG_BODY_ELEMENT },
    CloudCustomData: 'string?',
    EventTime: 'int',
  },
};

const NUMERIC = /^-?\d{1,16}$/;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkField(obj: Record<string, unknown>, name: string, field: Field, path: string): string | undefined {
  const value = obj[name];
  const where = path + name;
  if (typeof field === 'object') {
    if (value === undefined && field.optional) return undefined;
    if (!Array.isArray(value)) return `${where} must be an array`;
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (!isRecord(item)) return `${where}[${i}] must be an object`;
      const problem = checkObject(item, field.list, `${where}[${i}].`);
      if (problem) return problem;
    }
    return undefined;
  }
  if (value === undefined || value === null) return field.endsWith('?') ? undefined : `${where} is missing`;
  if (field === 'object') return isRecord(value) ? undefined : `${where} must be an object`;
  if (field.startsWith('string')) return typeof value === 'string' ? undefined : `${where} must be a string`;
  if (typeof value === 'number') return Number.isInteger(value) ? undefined : `${where} must be an integer`;
  if (typeof value === 'string' && NUMERIC.test(value)) {
    obj[name] = Number(value);
    return undefined;
  }
  return `${where} must be an integer or a numeric string`;
}

function checkObject(obj: Record<string, unknown>, schema: Schema, path: string): string | undefined {
  for (const name in schema) {
    const problem = checkField(obj, name, schema[name] as Field, path);
    if (problem) return problem;
  }
  return undefined;
}

/**
 * Checks a parsed body against its command's schema, converting numeric strings to numbers in place.
 * @returns a description of the first problem, or `undefined` when the body is valid.
 */
export function checkPayload(command: string, body: Record<string, unknown>): string | undefined {
  const schema = (PAYLOAD_SCHEMAS as Readonly<Record<string, Schema>>)[command];
  return schema ? checkObject(body, schema, '') : undefined;
}

/** Whether a parsed JSON value is a plain object. */
export { isRecord };
