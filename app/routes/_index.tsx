import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { getUser } from "~/auth.server";

export async function loader({ request }: LoaderFunctionArgs) {
  throw redirect((await getUser(request)) ? "/trusts" : "/sign-in");
}
