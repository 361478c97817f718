import CopyWebpackPlugin from 'copy-webpack-plugin';
import type { Configuration } from 'webpack';

import grafanaConfig, { type Env } from './.config/webpack/webpack.config.ts';

// Extends the scaffold's config (never edit .config/): nested plugins' logos and
// screenshots live beside their plugin.json, and the scaffold only copies the app's.
const config = async (env: Env): Promise<Configuration> => {
  const base = await grafanaConfig(env);
  return {
    ...base,
    plugins: [
      ...(base.plugins ?? []),
      new CopyWebpackPlugin({
        patterns: [{ from: '**/img/**/*.{svg,png}', to: '[path][name][ext]', noErrorOnMissing: true }],
      }),
    ],
  };
};

export default config;
