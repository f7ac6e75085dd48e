/** `count` bench users: `user0`, `user1`, … */
export function benchUsers(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `user${i}`);
}

/**
 * The measured REST commands (`openim/…`) and, for each, a generator of request bodies between random pairs of two
 * different `users` (a fresh pair, MsgRandom and text on every call).
 */
export function restBodies(users: string[]): Record<string, () => string> {
  const someone = () => users[Math.floor(Math.random() * users.length)]!;
  const pair = (): [string, string] => {
    const a = someone();
    let b = someone();
    while (b === a) b = someone();
    return [a, b];
  };
  let textSeq = 0;
  return {
    'openim/admin_set_msg_read': () => {
      const [a, b] = pair();
      return JSON.stringify({ Report_Account: a, Peer_Account: b });
    },
    'openim/get_c2c_unread_msg_num': () => {
      const [a, b] = pair();
      return JSON.stringify({ To_Account: a, Peer_Account: [b] });
    },
    'openim/sendmsg': () => {
      const [a, b] = pair();
      return JSON.stringify({
        From_Account: a,
        To_Account: b,
        MsgRandom: Math.floor(Math.random() * 4294967295),
        MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: `bench message ${++textSeq}` } }],
      });
    },
  };
}
