// A plain-JS rank for the launcher tests (run by __tests__/distributed.test.ts):
//   sleeper.js signal : print "ready", then wait; on SIGTERM/SIGINT print and exit 0
//   sleeper.js fail   : rank 1 exits with code 7 after a moment; the others wait forever
//   sleeper.js pdeath [native.js] : ask the addon to die with the launcher, print "pid",
//                       wait forever (native.js: a compiled lib/native, else ts-node)
'use strict';
const mode = process.argv[2];
const rank = Number(process.env.RANK);
const keepAlive = setInterval(() => {}, 1 << 30);
if (mode === 'signal') {
  for (const sig of ['SIGTERM', 'SIGINT']) {
    process.on(sig, () => {
      console.log(`rank ${rank} got ${sig}`);
      clearInterval(keepAlive);
      process.exit(0);
    });
  }
  console.log(`ready ${rank} of ${process.env.WORLD_SIZE} local ${process.env.LOCAL_RANK}/${process.env.LOCAL_WORLD_SIZE} master ${process.env.MASTER_ADDR}:${process.env.MASTER_PORT}`);
} else if (mode === 'fail') {
  console.log(`ready ${rank} pid ${process.pid}`);
  if (rank === 1) setTimeout(() => process.exit(7), 300);
} else if (mode === 'pdeath') {
  let native = process.argv[3];
  if (!native) {
    require('ts-node/register/transpile-only');
    native = '../../lib/native';
  }
  const { N } = require(native);
  N.dist_set_pdeathsig(Number(process.env.TORCHOPT_NODE_LAUNCHER_PID));
  console.log(`pid ${process.pid}`);
} else {
  console.error(`unknown mode ${mode}`);
  process.exit(2);
}
