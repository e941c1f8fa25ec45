// The operator's web page: one self-contained HTML document (no external
// scripts, styles or fonts) served at GET / and GET /ui. It reads the same
// API routes the CLI reads (/v1/health, /v1/plans, /v1/plans/<plan>,
// /v1/pod/status, /v1/endpoints, /v2/debug/offers), refreshes every two
// seconds, and steers through them: interrupt, continue, restart and
// force-complete of plans and steps, restart and replace of pods (each
// destructive action asks for confirmation). Every value shown is inserted
// as text, never as markup.
//
// The page is static, so it is answered on the HTTP thread (a Peek): it
// loads even while the scheduler's owner thread is busy.
#pragma once

#include <string_view>

#include "http/router.h"

namespace keel::http {

// The page's HTML.
std::string_view operatorPageHtml();

// GET / and GET /ui.
void addPageRoutes(Router& router);

}  // namespace keel::http
