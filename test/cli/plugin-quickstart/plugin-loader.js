// Serves the plugin from the TypeScript sources, as ../plugin-project/plugin-loader.js does.
require('tsx/cjs/api').register();
module.exports = require('../../../src/index.ts');
