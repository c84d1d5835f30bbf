/**
 * Jest runs tests in a vm context, so typed arrays made by onnxruntime-node's native code (the
 * outer realm) fail onnxruntime-common's `instanceof Float32Array` check (jestjs/jest#11864;
 * transformers.js works around it the same way in tests/init.js). Make `instanceof` for typed
 * arrays realm-independent. Test-only: import this first in files that run onnxruntime-node.
 */
const typed = [Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array, Float32Array, Float64Array, BigInt64Array, BigUint64Array];
for (const T of typed) {
  const tag = `[object ${T.name}]`;
  Object.defineProperty(T, Symbol.hasInstance, {
    value: (v: unknown) => Object.prototype.toString.call(v) === tag,
    configurable: true,
  });
}
export {};
