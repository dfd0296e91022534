// Node running a hot JS function (tests/integration/test_stacks_real_node_jit.sh): spinInJs
// is compiled by V8's JIT into anonymous memory; the main thread is almost always in it.
// Prints "ready" once it has run long enough to be optimized.
'use strict';
function spinInJs(n) { let s = 0; for (let i = 0; i < n; i++) s = (s + i * 7) % 1000003; return s; }
let t = 0;
for (let k = 0; k < 20; k++) t += spinInJs(1e6);
console.log('ready');
for (;;) t += spinInJs(1e7);
