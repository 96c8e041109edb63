// Prints the preprocessor defines binding.gyp adds for the libtorch it builds against,
// mirroring CMakeLists.txt: c10d (TCPStore) when its headers exist, Gloo when gloo's
// headers (Debian: libgloo-dev) exist too.
const fs = require('fs');
const path = require('path');

const root = process.env.LIBTORCH ? path.join(process.env.LIBTORCH, 'include') : '/usr/include';
const c10d = path.join(root, 'torch', 'csrc', 'distributed', 'c10d');
const defines = [];
// USE_*: what libtorch's CMake target adds for its distributed headers (CMake gets them
// from the Torch package; node-gyp must spell them out).
if (fs.existsSync(path.join(c10d, 'TCPStore.hpp'))) defines.push('TON_WITH_C10D=1', 'USE_DISTRIBUTED=1');
const gloo = [root, '/usr/include', '/usr/local/include'].some((d) => fs.existsSync(path.join(d, 'gloo', 'config.h')));
if (gloo && fs.existsSync(path.join(c10d, 'ProcessGroupGloo.hpp'))) defines.push('TON_WITH_GLOO=1', 'USE_C10D_GLOO=1');
console.log(defines.join(' '));
