import * as assert from 'node:assert/strict';
import { contentSecurityPolicy, DRAW_PAGE } from '../../src/panel/pagePolicy';
import { checkDrawMessage, MAX_DRAWING_SIDE } from '../../src/shared/messageChecks';

const save = (fields: Record<string, unknown>) => ({
  type: 'saveDrawing',
  requestId: 1,
  width: 4,
  height: 3,
  pixels: new ArrayBuffer(12),
  ...fields,
});

describe('checks of what the drawing pad sends', () => {
  it('takes a save request whose pixels fill its size', () => {
    const checked = checkDrawMessage(save({}));
    assert.equal(checked?.type, 'saveDrawing');
    assert.equal((checked as { width: number }).width, 4);
  });

  it('refuses a save whose pixels do not match its size, or of no size, or too large, or not bytes', () => {
    for (const fields of [
      { pixels: new ArrayBuffer(11) },
      { width: 0, pixels: new ArrayBuffer(0) },
      { width: MAX_DRAWING_SIDE + 1, height: 1, pixels: new ArrayBuffer(MAX_DRAWING_SIDE + 1) },
      { pixels: Array.from({ length: 12 }, () => 0) },
      { width: 2.5 },
      { requestId: 0 },
    ]) {
      assert.equal(checkDrawMessage(save(fields)), undefined, JSON.stringify(Object.keys(fields)));
    }
  });

  it('lets no event of another panel through, but the common ones and "Draw a garment" as an action', () => {
    assert.equal(checkDrawMessage({ type: 'copyResults', text: 'x', format: 'JSON' }), undefined);
    assert.equal(checkDrawMessage({ type: 'saveModel', requestId: 2 }), undefined);
    assert.deepEqual(checkDrawMessage({ type: 'ready' }), { type: 'ready' });
    assert.deepEqual(checkDrawMessage({ type: 'userAction', action: { kind: 'drawGarment' } }), {
      type: 'userAction',
      action: { kind: 'drawGarment' },
    });
  });

  it("runs the pad's scripts without eval", () => {
    const csp = contentSecurityPolicy('https://x.vscode-cdn.net', 'N0NCE', DRAW_PAGE);
    assert.doesNotMatch(csp, /'unsafe-eval'/);
    assert.match(csp, /script-src 'nonce-N0NCE' 'wasm-unsafe-eval'/);
    assert.doesNotMatch(csp, /worker-src/);
  });
});
