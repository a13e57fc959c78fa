//! The dashboard's web page at `/dashboard/` (issue 12): a sign-in page and the dashboard for
//! bureau officers and school admins, using the same API and tokens as the app. Its files
//! (`server/web/dashboard/`: plain HTML, CSS and JavaScript, and Apache ECharts vendored with its
//! licence) are embedded in the binary: no build step, nothing to deploy beside the server.

use actix_web::http::header;
use actix_web::{HttpResponse, web};

/// One embedded file: its path under `/dashboard/`, content type and bytes.
struct Asset {
    path: &'static str,
    content_type: &'static str,
    bytes: &'static [u8],
}

const ASSETS: &[Asset] = &[
    Asset {
        path: "/dashboard/",
        content_type: "text/html; charset=utf-8",
        bytes: include_bytes!("../../web/dashboard/index.html"),
    },
    Asset {
        path: "/dashboard/app.js",
        content_type: "text/javascript; charset=utf-8",
        bytes: include_bytes!("../../web/dashboard/app.js"),
    },
    Asset {
        path: "/dashboard/app.css",
        content_type: "text/css; charset=utf-8",
        bytes: include_bytes!("../../web/dashboard/app.css"),
    },
    Asset {
        path: "/dashboard/echarts.js",
        content_type: "text/javascript; charset=utf-8",
        bytes: include_bytes!("../../web/dashboard/vendor/echarts.common.min.js"),
    },
    Asset {
        path: "/dashboard/ECHARTS-LICENSE",
        content_type: "text/plain; charset=utf-8",
        bytes: include_bytes!("../../web/dashboard/vendor/ECHARTS-LICENSE"),
    },
];

/// Mounts the page's files (and `/dashboard` → `/dashboard/`).
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route(
        "/dashboard",
        web::get().to(|| async { HttpResponse::Found().insert_header(("Location", "/dashboard/")).finish() }),
    );
    for asset in ASSETS {
        cfg.route(asset.path, web::get().to(move || serve(asset)));
    }
}

async fn serve(asset: &'static Asset) -> HttpResponse {
    HttpResponse::Ok()
        .content_type(asset.content_type)
        // Everything the page loads is its own: no inline script, no other origin (inline styles are
        // ECharts' tooltips).
        .insert_header((
            header::CONTENT_SECURITY_POLICY,
            "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'",
        ))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .insert_header((header::CACHE_CONTROL, "no-cache"))
        .body(asset.bytes)
}
