// A small line chart on a <canvas>: a rolling window of samples for a few series, drawn without any library.
// Used by console.js for the overview's message rates and a queue's rates and depth.
"use strict";

class FerryChart {
  /**
   * @param canvas a <canvas> element; its CSS size decides the drawing size
   * @param series [{name, color}] one line each
   * @param points how many samples the window keeps
   */
  constructor(canvas, series, points = 60) {
    this.canvas = canvas;
    this.series = series;
    this.points = points;
    this.samples = []; // [{time, values: [..]}]
  }

  push(values) {
    this.samples.push({ time: Date.now(), values });
    if (this.samples.length > this.points) {
      this.samples.shift();
    }
    this.draw();
  }

  draw() {
    const canvas = this.canvas;
    const ratio = window.devicePixelRatio || 1;
    const width = canvas.clientWidth || 600;
    const height = canvas.clientHeight || 200;
    if (canvas.width !== Math.round(width * ratio) || canvas.height !== Math.round(height * ratio)) {
      canvas.width = Math.round(width * ratio);
      canvas.height = Math.round(height * ratio);
    }
    const g = canvas.getContext("2d");
    g.setTransform(ratio, 0, 0, ratio, 0, 0);
    g.clearRect(0, 0, width, height);
    const left = 48, right = 12, top = 26, bottom = 20;
    const plotW = width - left - right, plotH = height - top - bottom;
    const max = niceMax(Math.max(1, ...this.samples.flatMap(s => s.values.map(v => (isFinite(v) ? v : 0)))));

    g.font = "11px 'Liberation Sans', Arial, sans-serif";
    g.strokeStyle = "#e3e8ec";
    g.fillStyle = "#5d6b78";
    g.lineWidth = 1;
    g.textAlign = "right";
    g.textBaseline = "middle";
    for (let i = 0; i <= 4; i++) {
      const y = top + plotH - (plotH * i) / 4;
      g.beginPath();
      g.moveTo(left, Math.round(y) + 0.5);
      g.lineTo(left + plotW, Math.round(y) + 0.5);
      g.stroke();
      g.fillText(formatNumber((max * i) / 4), left - 6, y);
    }
    g.textAlign = "left";
    g.fillText(this.points + " samples", left, height - 8);

    const step = plotW / Math.max(1, this.points - 1);
    const offset = this.points - this.samples.length;
    this.series.forEach((line, index) => {
      g.strokeStyle = line.color;
      g.lineWidth = 2;
      g.beginPath();
      this.samples.forEach((sample, i) => {
        const value = isFinite(sample.values[index]) ? sample.values[index] : 0;
        const x = left + (offset + i) * step;
        const y = top + plotH - (plotH * Math.max(0, value)) / max;
        if (i === 0) g.moveTo(x, y); else g.lineTo(x, y);
      });
      g.stroke();
      // legend: a swatch, the name and the latest value
      const latest = this.samples.length ? this.samples[this.samples.length - 1].values[index] : 0;
      const lx = left + index * 160;
      g.fillStyle = line.color;
      g.fillRect(lx, 8, 10, 10);
      g.fillStyle = "#1c2833";
      g.textBaseline = "middle";
      g.fillText(line.name + ": " + formatNumber(latest), lx + 14, 13);
    });
  }
}

/** 1, 2 or 5 times a power of ten, at or above the value: round grid lines. */
function niceMax(value) {
  const power = Math.pow(10, Math.floor(Math.log10(value)));
  for (const m of [1, 2, 5, 10]) {
    if (m * power >= value) return m * power;
  }
  return 10 * power;
}

function formatNumber(value) {
  if (!isFinite(value)) return "0";
  if (Math.abs(value) >= 1000) return Math.round(value).toLocaleString("en");
  return (Math.round(value * 10) / 10).toString();
}
