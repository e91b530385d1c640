#!/usr/bin/env node
// The `sealops` command. The TypeScript sources compile to dist/ on `npm install` (prepare).
import '../dist/runbooks/cli.js';
