// Jest setup provided by Grafana scaffolding
import './.config/jest-setup';

// jsdom has no canvas. @grafana/ui measures text (Combobox) and uPlot draws on a 2D
// context, so give them one that measures text by character count and draws nothing.
// What a chart looks like is checked in headless Chromium, not here.
HTMLCanvasElement.prototype.getContext = function getContext() {
  const noop = () => {};
  return new Proxy(
    {
      canvas: this,
      measureText: (text) => ({ width: String(text).length * 7, actualBoundingBoxAscent: 8, actualBoundingBoxDescent: 2 }),
      getImageData: () => ({ data: new Uint8ClampedArray(4) }),
      createLinearGradient: () => ({ addColorStop: noop }),
      createPattern: () => ({}),
      getLineDash: () => [],
      isPointInPath: () => false,
    },
    {
      get(target, prop) {
        return prop in target ? target[prop] : noop;
      },
      set(target, prop, value) {
        target[prop] = value;
        return true;
      },
    }
  );
};

// findBy*/waitFor give up after 1 s by default; a loaded CI machine can take longer to
// render a page, which is not what those tests are about.
require('@testing-library/react').configure({ asyncUtilTimeout: 10000 });
