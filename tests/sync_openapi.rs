//! The hub's OpenAPI 3 description is served from the code, and Schemathesis fuzzing the
//! live hub against it finds no server error and no answer outside the description.

mod common;

use common::{Backend, Hub, http, require_tool};

#[test]
fn openapi_is_served_and_schemathesis_finds_nothing() {
    let hd = tempfile::tempdir().unwrap();
    let hub = Hub::start(&Backend::sqlite(hd.path()));
    let (st, body) = http(hub.port, "GET", "/api/v1/openapi.json", &[], b"");
    assert_eq!(st, 200);
    let doc: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    for p in [
        "/healthz",
        "/api/v1/enroll",
        "/api/v1/push",
        "/api/v1/changes",
        "/api/v1/dossiers/{code}/status",
        "/api/v1/counts",
        "/tra-cuu",
        "/tra-cuu.css",
    ] {
        assert!(
            doc["paths"].get(p).is_some(),
            "{p} missing from the description"
        );
    }
    if !require_tool("schemathesis") {
        return;
    }
    let token = hub.admin(&["processor", "add", "schemathesis"]);
    let out = std::process::Command::new("schemathesis")
        .args(["run", &format!("{}/api/v1/openapi.json", hub.url())])
        .args(["-H", &format!("Authorization: Bearer {token}")])
        .args(["--checks", "all"])
        .args(["--max-examples", "50", "--request-timeout", "10"])
        .env("NO_COLOR", "1")
        .current_dir(hd.path())
        .output()
        .expect("schemathesis runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "schemathesis found problems:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
