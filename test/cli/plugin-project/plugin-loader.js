// The cdk8s CLI loads a local plugin with require(). npm test does not compile src/ to lib/, so this shim
// registers tsx's CommonJS loader and serves the plugin class from the TypeScript sources: the test runs
// exactly the code in src/, through the same export (src/index.ts) that the published lib/index.js has.
require('tsx/cjs/api').register();
module.exports = require('../../../src/index.ts');
