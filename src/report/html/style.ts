// The report's one style sheet (inline, allowed by its hash in the CSP). Screen and print.
export const CSS = `
:root{--fg:#1b2430;--muted:#5b6675;--line:#d5dbe3;--bad:#b3261e;--warn:#9a6700;--ok:#1a7f37;--bg:#fff;--soft:#f4f6f9}
*{box-sizing:border-box}
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg);margin:0 auto;max-width:1200px;padding:16px 24px}
h1{font-size:22px;margin:8px 0}h2{font-size:19px;margin:18px 0 6px;border-bottom:2px solid var(--line);padding-bottom:4px}h3{font-size:16px;margin:18px 0 6px}h4{margin:12px 0 4px}
.muted{color:var(--muted)}.small{font-size:10px;fill:var(--muted)}.tiny{font-size:9px;fill:var(--muted)}
code,.ex{font:12px/1.35 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;overflow-wrap:anywhere;white-space:pre-wrap}
.ex{display:block;background:var(--soft);padding:3px 6px;margin:2px 0 6px;border-left:3px solid var(--line)}
table{border-collapse:collapse;width:100%;margin:6px 0}th,td{border-bottom:1px solid var(--line);padding:4px 6px;text-align:left;vertical-align:top}th{background:var(--soft);font-weight:600}
td.num{text-align:right;font-variant-numeric:tabular-nums}
.verdict{display:inline-block;padding:1px 8px;border-radius:4px;color:#fff;font-size:13px;text-transform:uppercase;vertical-align:middle}
.v-compromised,.v-exploited{background:var(--bad)}.v-attempted,.v-vulnerable{background:var(--warn)}.v-clean{background:var(--ok)}.v-inconclusive{background:#6f42c1}
.tag{display:inline-block;font-size:11px;padding:0 5px;border-radius:3px;border:1px solid var(--line);color:var(--muted)}.tag.bad{border-color:var(--bad);color:var(--bad)}.tag.warn{border-color:var(--warn);color:var(--warn)}.tag.ok{border-color:var(--ok);color:var(--ok)}
.lvl{font-size:11px;text-transform:uppercase;font-weight:600}.l-critical{color:var(--bad)}.l-high{color:#cf222e}.l-medium{color:var(--warn)}.l-low{color:#0969da}.l-informational{color:var(--muted)}
.answers{display:grid;grid-template-columns:repeat(auto-fit,minmax(250px,1fr));gap:10px;margin:10px 0}
.answers div{border:1px solid var(--line);border-radius:6px;padding:8px 10px;background:var(--soft)}.answers dt{font-weight:700}.answers dd{margin:4px 0 0}
.line{display:block}.reason{font-size:15px}
ol.ladder{list-style:none;padding:0}ol.ladder>li{border-left:4px solid var(--line);padding:2px 8px;margin:3px 0}ol.ladder>li.reached{border-color:var(--bad)}ol.ladder>li.lead{border-color:var(--warn)}
ul.ev,ul.plain{list-style:none;padding-left:4px}ol.story li{margin:3px 0}.when{font-variant-numeric:tabular-nums;color:var(--muted)}
.st{font-size:11px;padding:0 4px;border-radius:3px;color:#fff}
.s-recon{background:#8c959f;fill:#8c959f}.s-exploit-attempt{background:#bf8700;fill:#bf8700}.s-exploited{background:#cf222e;fill:#cf222e}.s-persistence{background:#a40e26;fill:#a40e26}.s-hands-on{background:#8250df;fill:#8250df}.s-data-access{background:#1f2328;fill:#1f2328}
.incident{border:1px solid var(--line);border-radius:6px;padding:4px 10px;margin:8px 0}
tr.flag td{background:#fff5f5}
svg.chart{display:block;max-width:100%;height:auto;margin:6px 0}svg.chart text{font-size:11px;fill:var(--fg)}svg.chart text.small{font-size:10px;fill:var(--muted)}svg.chart text.tiny{font-size:9px;fill:var(--muted)}
.lane{stroke:var(--line)}.cov{fill:#54aeff}.milestone{stroke:#0969da;stroke-dasharray:3 3}.ms circle{fill:#0969da}.ms-patch circle{fill:var(--ok)}.ms-in-the-wild circle{fill:var(--bad)}.hostmark{fill:#cf222e;stroke:#fff}
ol.actions>li{margin:6px 0}.hash{font-size:11px;overflow-wrap:anywhere}
section.host{content-visibility:auto;contain-intrinsic-size:auto 2000px}
details.hostwrap>summary{cursor:pointer;font-size:16px;padding:4px 0}
.controls{display:flex;flex-wrap:wrap;gap:8px;align-items:center;margin:6px 0}.controls input,.controls select,.controls button{font:inherit;padding:3px 6px}
#f-table{table-layout:fixed}#f-table th:nth-last-child(1){width:42%}#f-table th:nth-last-child(3){width:18%}#f-table td{overflow-wrap:anywhere}
.answers dd{overflow-wrap:anywhere}
@media print{.controls,.pager,.show-findings{display:none}body{max-width:none;padding:0}section.host{content-visibility:visible}a{color:inherit;text-decoration:none}details>summary{list-style:none}h2{break-before:page}.incident,tr{break-inside:avoid}}
`;
