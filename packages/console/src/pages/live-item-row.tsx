import type { LiveItem } from '../live-stream.ts';
import { text } from '../notes.tsx';

/** One sampled live item as a table row; every value is rendered as text. */
export function ItemRow({ i }: { i: LiveItem }) {
  const time = new Date(i.T).toLocaleTimeString(undefined, { hour12: false });
  switch (i.Kind) {
    case 'report':
      return (
        <tr data-kind="report">
          <td>{time}</td>
          <td>read report</td>
          <td>{`${text(i.Report_Account)} read ${text(i.Peer_Account)}`}</td>
          <td>{`unread now ${text(i.UnreadMsgNum)}`}</td>
        </tr>
      );
    case 'send':
    case 'recall':
      return (
        <tr data-kind={i.Kind}>
          <td>{time}</td>
          <td>{i.Kind}</td>
          <td>{`${text(i.From_Account)} → ${text(i.To_Account)}`}</td>
          <td>{text(i.MsgId)}</td>
        </tr>
      );
    case 'callback':
      return (
        <tr data-kind="callback" data-outcome={text(i.Outcome)}>
          <td>{time}</td>
          <td>{`callback ${text(i.Outcome)}`}</td>
          <td>{text(i.Account)}</td>
          <td>
            <a href={`#/deliveries/${encodeURIComponent(text(i.EventId))}`}>{text(i.Command)}</a>
            {` HTTP ${text(i.Status)} · ${text(i.LatencyMs)} ms`}
          </td>
        </tr>
      );
    default:
      return (
        <tr>
          <td>{time}</td>
          <td>{text(i.Kind)}</td>
          <td colSpan={2}>{text(i)}</td>
        </tr>
      );
  }
}
