import { NextResponse } from "next/server";
import { normalizePhone, SendexaError } from "sendexa-whatsapp";

// /send?to=+233 24 400 0000 → /api/node?to=233244000000, or 400 for a number that is not one.
export function middleware(request) {
  const url = request.nextUrl.clone();
  try {
    url.searchParams.set("to", normalizePhone(url.searchParams.get("to") ?? ""));
  } catch (err) {
    if (!(err instanceof SendexaError)) throw err;
    return Response.json({ error: err.code, reason: err.message }, { status: 400 });
  }
  url.pathname = "/api/node";
  return NextResponse.redirect(url);
}

export const config = { matcher: "/send" };
