// Node with idle worker threads (tests/integration/test_waits_real_node.sh): N workers wait
// for messages, the libuv thread pool is started (one fs call) and left idle. Prints
// "workers=<N>" and "ready" once every worker is online.
'use strict';
const { Worker } = require('worker_threads');
const fs = require('fs');
const n = Number(process.argv[2] || 4);
let online = 0;
fs.stat('/', () => {
  for (let i = 0; i < n; i++) {
    const w = new Worker("require('worker_threads').parentPort.on('message', () => {});", { eval: true });
    w.on('online', () => {
      if (++online === n) {
        console.log(`workers=${n}`);
        console.log('ready');
      }
    });
  }
});
setInterval(() => {}, 1 << 30);
