import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';
import { root, runTutorial } from './tutorial-runner.ts';
import { tutorialSteps } from './tutorial-steps.ts';

it('docs/tutorial.md: every step runs against a real server and prints what the tutorial shows', async () => {
  const steps = tutorialSteps(readFileSync(join(root, 'docs/tutorial.md'), 'utf8'));
  const count = (kind: string) => steps.filter((s) => s.kind === kind).length;
  assert.ok(count('shell') >= 8 && count('output') >= 5 && count('terminal-output') >= 4, 'the tutorial has steps');
  assert.equal(count('setup'), 1);
  assert.deepEqual(
    steps.filter((s) => s.kind === 'terminal').map((s) => s.name),
    ['server', 'receiver', 'receiver'],
  );
  await runTutorial(steps);
});

it("README's 5-minute walkthrough runs the same way, from the checkout", async () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const section = /^## 5-minute walkthrough\n([\s\S]*?)^## /m.exec(readme);
  assert.ok(section, 'README has the walkthrough');
  const steps = tutorialSteps(section[1]!);
  const count = (kind: string) => steps.filter((s) => s.kind === kind).length;
  assert.ok(count('shell') >= 2 && count('terminal-output') >= 2 && count('file') === 1, 'the walkthrough has steps');
  await runTutorial(steps, true);
});
