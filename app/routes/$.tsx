/** Any address that matches no page answers 404, in the site's own layout. */
export async function loader() {
  throw new Response("Not found", { status: 404, statusText: "Not Found" });
}

export async function action() {
  throw new Response("Not found", { status: 404, statusText: "Not Found" });
}

export default function NotFound() {
  return null;
}
