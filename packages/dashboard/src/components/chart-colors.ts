/** Series colours from the stylesheet, so charts follow light and dark mode. */
export function chartColors(): { series: string[]; axis: string; grid: string } {
  const style = getComputedStyle(document.documentElement);
  const read = (name: string) => style.getPropertyValue(name).trim();
  return {
    series: [1, 2, 3, 4, 5, 6].map((i) => read(`--series-${i}`)),
    axis: read("--fg-muted"),
    grid: read("--grid"),
  };
}
