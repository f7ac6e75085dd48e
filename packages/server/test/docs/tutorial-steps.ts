/** One step of docs/tutorial.md, in document order (see the conventions comment at the top of the tutorial). */
export type TutorialStep =
  | { kind: 'setup'; text: string }
  | { kind: 'shell'; text: string }
  | { kind: 'terminal'; name: string; text: string }
  | { kind: 'file'; path: string; text: string }
  | { kind: 'output'; text: string; poll: boolean }
  | { kind: 'terminal-output'; name: string; text: string }
  | { kind: 'stop'; name: string };

const FENCE = /^```(\S*)[ \t]*(.*)\n([\s\S]*?)^```[ \t]*$/gm;
const STOP = /<!-- tutorial-stop=(\S+) -->/g;

/**
 * The tutorial's marked blocks and stop markers, in order. Blocks without a `tutorial…` word in their info string
 * are prose and ignored. Throws on an info string it does not understand, so a typo cannot skip a step silently.
 */
export function tutorialSteps(markdown: string): TutorialStep[] {
  const found: { at: number; step: TutorialStep }[] = [];
  for (const m of markdown.matchAll(FENCE)) {
    const words = m[2]!.split(/\s+/).filter(Boolean);
    const marker = words.find((w) => w.startsWith('tutorial'));
    if (!marker) continue;
    const [key, value] = marker.split('=') as [string, string | undefined];
    const text = m[3]!;
    const step = toStep(key, value, text, words.includes('poll'));
    if (!step) throw new Error(`tutorial block with an unknown info string: ${m[1]} ${m[2]}`);
    found.push({ at: m.index, step });
  }
  for (const m of markdown.matchAll(STOP)) found.push({ at: m.index, step: { kind: 'stop', name: m[1]! } });
  return found.sort((a, b) => a.at - b.at).map((f) => f.step);
}

function toStep(key: string, value: string | undefined, text: string, poll: boolean): TutorialStep | undefined {
  if (key === 'tutorial-setup' && !value) return { kind: 'setup', text };
  if (key === 'tutorial' && !value) return { kind: 'shell', text };
  if (key === 'tutorial-terminal' && value) return { kind: 'terminal', name: value, text };
  if (key === 'tutorial-file' && value) return { kind: 'file', path: value, text };
  if (key === 'tutorial-output' && !value) return { kind: 'output', text, poll };
  if (key === 'tutorial-output' && value) return { kind: 'terminal-output', name: value, text };
  return undefined;
}

/**
 * Finds the expected lines (blank lines skipped; `…` stands for any text within a line) in `actual`, in order,
 * starting at `from`. Returns the offset just after the last matched line, or undefined when one is missing.
 */
export function matchLines(expected: string, actual: string, from = 0): number | undefined {
  let at = from;
  for (const line of expected.split('\n')) {
    if (line.trim() === '') continue;
    const pattern = line
      .split('…')
      .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*?');
    const re = new RegExp(`^.*?${pattern}.*$`, 'm');
    const m = re.exec(actual.slice(at));
    if (!m) return undefined;
    at += m.index + m[0].length;
  }
  return at;
}
