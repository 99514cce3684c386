// Every test judges waiver expiry as of one fixed day (a test that needs another passes `today` or sets the variable).
process.env.CDK8S_HARDENED_TODAY = process.env.CDK8S_HARDENED_TODAY ?? '2026-12-01';
