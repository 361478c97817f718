import React from 'react';
import type { AppRootProps } from '@grafana/data';
import { Route, Routes } from 'react-router-dom';

import { CatalogPage } from './CatalogPage';
import { ImportPage } from './ImportPage';
import { KaizenPage } from './KaizenPage';
import { KPIPage } from './KPIPage';
import { SetupPage } from './SetupPage';
import { SLOPage } from './SLOPage';

/** The app's pages; each later page adds one route and one include in plugin.json. */
export default function App(_: AppRootProps) {
  return (
    <Routes>
      <Route path="catalog" element={<CatalogPage />} />
      <Route path="import" element={<ImportPage />} />
      <Route path="kpis" element={<KPIPage />} />
      <Route path="kaizen" element={<KaizenPage />} />
      <Route path="slos" element={<SLOPage />} />
      <Route path="*" element={<SetupPage />} />
    </Routes>
  );
}
