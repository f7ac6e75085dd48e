import { text } from '../notes.tsx';

/** What `test_callback` answers. */
export interface TestAnswer {
  Url: string;
  Status: number | null;
  LatencyMs: number | null;
  /** 1 when the receiver answered Tencent's OK envelope. */
  Ok?: number;
  ResponseExcerpt?: string | null;
  ResponseErrorCode?: number | null;
  ResponseErrorInfo?: string | null;
  Error?: string;
}

/** The receiver's answer to a test callback, as text. */
export function TestCallbackAnswer({ test }: { test: TestAnswer }) {
  return (
    <div class="test-answer" role="status" data-testid="test-answer">
      <h2>{test.Ok ? 'Test callback: the receiver answered OK' : 'Test callback: the receiver did not answer OK'}</h2>
      <dl class="facts">
        <dt>URL</dt>
        <dd>{test.Url}</dd>
        <dt>HTTP status</dt>
        <dd>{text(test.Status)}</dd>
        <dt>Latency</dt>
        <dd>{test.LatencyMs === null ? '—' : `${test.LatencyMs} ms`}</dd>
        <dt>Receiver's answer</dt>
        <dd>
          <pre class="code">{test.ResponseExcerpt || '(empty)'}</pre>
        </dd>
        {test.Error && (
          <>
            <dt>Error</dt>
            <dd>{test.Error}</dd>
          </>
        )}
      </dl>
    </div>
  );
}
