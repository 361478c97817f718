// force timezone to UTC to allow tests to work regardless of local timezone
// generally used by snapshots, but can affect specific tests
process.env.TZ = 'UTC';

const base = require('./.config/jest.config');

// d3-color 3.x ships only .mjs files, so the transform must also match .mjs (see ../shared/TOOLCHAIN.md).
const [[, swcOptions]] = Object.values(base.transform);

module.exports = {
  ...base,
  transform: {
    '^.+\\.m?(t|j)sx?$': ['@swc/jest', swcOptions],
  },
  // Page tests render whole forms with @grafana/ui; on two busy cores one can take
  // well over jest's 5 s default without anything being wrong.
  testTimeout: 30000,
};
