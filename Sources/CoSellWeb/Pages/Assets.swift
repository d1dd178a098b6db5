import Vapor

/// The stylesheet and the one small script, served from memory with a content hash in the path.
enum Assets {
    static let cssPath = "/assets/app-\(version).css"
    static let jsPath = "/assets/app-\(version).js"
    static let version = "9"

    static func register(on app: Application) {
        app.get("assets", ":file") { req -> Response in
            let file = req.parameters.get("file") ?? ""
            let (body, type): (String, HTTPMediaType)
            if "/assets/" + file == cssPath {
                (body, type) = (css, HTTPMediaType(type: "text", subType: "css", parameters: ["charset": "utf-8"]))
            } else if "/assets/" + file == jsPath {
                (body, type) = (
                    js, HTTPMediaType(type: "text", subType: "javascript", parameters: ["charset": "utf-8"])
                )
            } else {
                throw Abort(.notFound)
            }
            let r = Response(status: .ok, body: .init(string: body))
            r.headers.contentType = type
            r.headers.replaceOrAdd(name: .cacheControl, value: "public, max-age=31536000, immutable")
            return r
        }
    }

    static let css = """
        :root{--ink:#1b1f24;--muted:#4f5661;--line:#c9ced6;--bg:#f6f7f9;--card:#fff;--accent:#0b5cad;
        --ok:#1d6b35;--warn:#8a4b00;--bad:#a3141b;--focus:#ffbf47;font-family:system-ui,-apple-system,
        "Segoe UI",Roboto,sans-serif;color:var(--ink);background:var(--bg);line-height:1.45}
        *{box-sizing:border-box}body{margin:0}a{color:var(--accent)}
        a:focus-visible,button:focus-visible,input:focus-visible,select:focus-visible,textarea:focus-visible,
        summary:focus-visible{outline:3px solid var(--focus);outline-offset:2px}
        .skip{position:absolute;left:-999px}.skip:focus{left:8px;top:8px;background:#fff;padding:6px;z-index:9}
        header.top{display:flex;flex-wrap:wrap;gap:8px 24px;align-items:center;padding:10px 20px;background:#102a43;
        color:#fff}header.top a{color:#fff}.brand{font-weight:700;font-size:1.2rem;text-decoration:none}
        header nav ul{display:flex;flex-wrap:wrap;gap:4px 16px;list-style:none;margin:0;padding:0}
        header nav a[aria-current]{text-decoration:underline 3px;font-weight:600}
        .who{margin-left:auto;display:flex;gap:12px;align-items:center;flex-wrap:wrap}
        button.link{background:none;border:0;color:#fff;text-decoration:underline;cursor:pointer;font:inherit;padding:0}
        main{max-width:1280px;margin:0 auto;padding:16px 20px 48px}h1{font-size:1.6rem;margin:.4em 0}
        h2{font-size:1.25rem;margin:1.2em 0 .4em}h3{font-size:1.05rem;margin:1em 0 .3em}
        .muted{color:var(--muted)}.notice{background:#e3f1e6;border:1px solid var(--ok);padding:8px 12px;border-radius:6px}
        .notice.warn{background:#fdf1de;border-color:var(--warn)}
        .card{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:12px 14px;margin:0 0 12px}
        .grid{display:grid;gap:12px;grid-template-columns:repeat(auto-fit,minmax(280px,1fr))}
        table{border-collapse:collapse;width:100%;background:var(--card)}th,td{border-bottom:1px solid var(--line);
        padding:6px 8px;text-align:left;vertical-align:top}th{font-weight:600}.table-wrap{overflow-x:auto}
        .num{text-align:right;font-variant-numeric:tabular-nums}
        .badge{display:inline-block;border-radius:10px;padding:0 8px;font-size:.8rem;font-weight:600;border:1px solid}
        .badge-ok{color:var(--ok);border-color:var(--ok)}.badge-warn{color:var(--warn);border-color:var(--warn)}
        .badge-bad{color:var(--bad);border-color:var(--bad)}.badge-info{color:var(--accent);border-color:var(--accent)}
        .badge-muted{color:var(--muted);border-color:var(--muted)}ol.agenda{padding-left:1.4em}ol.agenda li{margin:4px 0}
        ol.agenda .minutes{display:inline-block;min-width:4.2em;font-weight:600;font-variant-numeric:tabular-nums}
        .decisions .actions{display:flex;flex-wrap:wrap;gap:8px}
        .field{margin:0 0 10px;display:flex;flex-direction:column;gap:3px;max-width:560px}
        label{font-weight:600}input,select,textarea{font:inherit;padding:6px 8px;border:1px solid #767f8b;
        border-radius:5px;background:#fff;color:var(--ink);width:100%}textarea{resize:vertical}
        .has-error input,.has-error select,.has-error textarea{border:2px solid var(--bad)}
        .check{display:flex;gap:8px;align-items:center;margin:2px 0}.check input{width:auto}
        .check label{font-weight:400}.inline select{width:auto}
        .error{color:var(--bad);font-weight:600;margin:0}.hint{color:var(--muted);margin:0;font-size:.9rem}
        .form-error{background:#fbe9ea;border:1px solid var(--bad);padding:8px 12px;border-radius:6px;margin:8px 0}
        button,.button{font:inherit;background:var(--accent);color:#fff;border:0;border-radius:5px;padding:7px 14px;
        cursor:pointer;text-decoration:none;display:inline-block}button.secondary{background:#fff;color:var(--accent);
        border:1px solid var(--accent)}button:disabled{opacity:.6}.inline{display:inline}
        .steps{list-style:none;padding:0;margin:0}.steps li{margin:0 0 10px}.steps li.done{color:var(--muted)}
        .steps select{width:auto;max-width:100%}.steps form{display:block;max-width:100%;margin:4px 0 0}
        .board{display:grid;grid-template-columns:repeat(5,minmax(220px,1fr));gap:10px;overflow-x:auto}
        .column{background:#e9edf2;border-radius:8px;padding:8px;min-width:220px}.column h2{font-size:1rem;margin:4px}
        .deal-card{background:#fff;border:1px solid var(--line);border-radius:6px;padding:8px;margin:0 0 8px}
        .deal-card h3{font-size:1rem;margin:0 0 4px}.deal-card p{margin:2px 0;font-size:.9rem}
        .stages{list-style:none;padding:0;margin:0}.stage{background:#fff;border:1px solid var(--line);
        border-radius:8px;margin:0 0 10px}.stage>summary{padding:10px 14px;cursor:pointer;font-weight:600}
        .stage[open]>summary{border-bottom:1px solid var(--line)}.stage .body{padding:10px 14px}
        .stage.current{border:2px solid var(--accent)}.checklist{list-style:none;padding:0}
        .checklist li{padding:4px 0}.checklist .met::before{content:"✔ ";color:var(--ok)}
        .checklist .unmet::before{content:"✘ ";color:var(--bad)}details.form{margin:8px 0;border:1px dashed var(--line);
        border-radius:6px;padding:6px 10px}details.form>summary{cursor:pointer;color:var(--accent);font-weight:600}
        .timeline{list-style:none;padding:0;margin:0}.timeline li{border-left:3px solid var(--line);padding:2px 10px;
        margin:0 0 6px}.filters{display:flex;flex-wrap:wrap;gap:10px;align-items:flex-end}.filters .field{min-width:150px}
        progress{width:100%;height:22px}.facts{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px;margin:0}
        .facts dt{font-weight:600}.facts dd{margin:0}ul.plain{list-style:none;padding:0}
        .visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
        .narrow{max-width:480px;margin:24px auto}fieldset{border:1px solid var(--line);border-radius:6px;margin:0 0 10px}.matrix td,.matrix th{text-align:center}
        .rows .row-fields{display:grid;grid-template-columns:repeat(auto-fit,minmax(160px,1fr));gap:0 10px;
        border-bottom:1px dotted var(--line);margin-bottom:6px}ul.compact{margin:0;padding-left:1.1em}
        .owner-form{display:flex;flex-wrap:wrap;gap:6px;align-items:flex-end;margin:4px 0}.owner-form .field{margin:0;
        min-width:200px}.record{background:#f3f7fb;border-radius:6px;padding:4px 10px;margin:0 0 8px}
        .title-row{display:flex;flex-wrap:wrap;gap:8px 16px;align-items:center;justify-content:space-between}
        [data-focus]:focus{outline:3px solid var(--focus)}
        figure.chart{max-width:860px;margin:0 0 12px;font-size:.9rem}.chart figcaption{font-weight:600;margin:0 0 4px}
        .chart ul{list-style:none;margin:0;padding:0}.chart .legend{display:flex;flex-wrap:wrap;gap:2px 16px;
        margin:0 0 6px}.chart .legend svg{vertical-align:-2px}.chart .bars li{display:grid;gap:2px 10px;
        align-items:center;padding:3px 0;grid-template-columns:13rem minmax(0,1fr) 12rem;
        grid-template-areas:"label bar value"}.chart .bar-label{grid-area:label;text-align:right;
        overflow-wrap:anywhere}.chart .bar{grid-area:bar;display:block;width:100%;height:18px}
        .chart .bar-value{grid-area:value;overflow-wrap:anywhere}
        .vp{max-width:880px;background:var(--card);border:1px solid var(--line);border-radius:8px;padding:14px 20px;
        margin:0 0 14px}.vp h1{margin:0}.vp h2{font-size:1.05rem;margin:.9em 0 .25em;color:#102a43}
        .vp h3{font-size:1rem;margin:.6em 0 .2em}.vp p{margin:0 0 .3em}.vp p,.vp li{overflow-wrap:anywhere}
        .vp-meta{color:var(--muted);font-size:.9rem;margin:.2em 0 0}.vp-lead{font-size:1.05rem;font-weight:600}
        .vp-roles{display:flex;flex-wrap:wrap;gap:4px 8px;list-style:none;padding:0;margin:4px 0 0}
        .vp-roles li{border:1px solid var(--line);border-radius:12px;padding:0 10px;background:#f3f7fb}
        .vp-proof{display:grid;gap:8px;grid-template-columns:repeat(auto-fit,minmax(220px,1fr));list-style:none;
        padding:0;margin:0}.vp-proof li{border-left:4px solid var(--accent);background:#f3f7fb;padding:6px 10px}
        .vp-proof span{display:block}.vp-figure{display:block;font-size:1.1rem;color:var(--accent)}
        .vp-customer{font-weight:600}.vp ul{margin-top:0}.vp-plays,.vp-avoid ul{margin:0;padding-left:1.2em}
        .vp-avoid li::marker{content:"✘  ";color:var(--bad)}.vp-link{font-weight:600}
        @media (max-width:700px){main{padding:10px}.board{grid-template-columns:1fr}.who{margin-left:0}
        th,td{padding:5px}h1{font-size:1.35rem}.facts{grid-template-columns:1fr;gap:0}.facts dd{margin:0 0 8px}}
        .facts dd{overflow-wrap:anywhere}
        @media (max-width:700px){table.stack thead{display:none}table.stack,table.stack tbody{display:block}
        table.stack tr{display:block;border-bottom:1px solid var(--line);padding:6px 0}table.stack td,
        table.stack tbody th{display:block;border:0;padding:2px 8px;text-align:left;overflow-wrap:anywhere}
        table.stack [data-label]::before{content:attr(data-label) ": ";font-weight:600}
        table.stack td.main-action{padding-top:6px}.chart .bars li{grid-template-columns:minmax(0,1fr) auto;
        grid-template-areas:"label value" "bar bar"}.chart .bar-label{text-align:left}}
        @media print{header.top,.skip,.no-print,details.form,form,.advance,.notice{display:none!important}
        body,main{background:#fff;padding:0;max-width:none}.stage,.card{border:1px solid #999;break-inside:avoid}
        .stage>summary{list-style:none}a{color:inherit;text-decoration:none}
        :root{background:#fff}.vp{page:vp;border:0;padding:0;margin:0;max-width:none;font-size:9pt;line-height:1.2}
        .vp h1{font-size:13pt}.vp h2{font-size:9.5pt;margin:4pt 0 1pt}.vp h3{font-size:9pt;margin:3pt 0 1pt}
        .vp-meta{font-size:8pt}.vp-lead{font-size:9.5pt}.vp-roles{margin:2pt 0 0}.vp-roles li{background:none;
        padding:0 5pt;font-size:8.5pt}.vp-proof{grid-template-columns:repeat(3,1fr);gap:6pt}.vp-proof li{background:none;
        border-left:2pt solid #333;padding:1pt 5pt}.vp-figure{color:#000;font-size:9.5pt}.vp-draft{display:none!important}}
        @page vp{margin:10mm}
        """

    static let js = """
        // cosell: small improvements; every page works without this file.
        document.addEventListener("submit", function (e) {
          var b = e.target.querySelector("button[type=submit]");
          if (b) { setTimeout(function () { b.disabled = true; }, 0); }
        });
        document.addEventListener("DOMContentLoaded", function () {
          var bad = document.querySelector("[aria-invalid=true]") || document.querySelector("[data-focus]");
          if (bad) {
            var d = bad.closest("details"); if (d) { d.open = true; }
            bad.focus();
            if (bad.scrollIntoView) { bad.scrollIntoView({block: "center"}); }
          }
        });
        """
}
