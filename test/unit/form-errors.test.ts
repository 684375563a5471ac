import { describe, expect, it } from "vitest";
import { z } from "zod";
import "~/form-errors";

/** The first message of refusing `value`, as a form's schema would refuse it. */
function refusal(schema: z.ZodType, value: unknown): string {
  const result = schema.safeParse(value);
  expect(result.success).toBe(false);
  return result.error!.issues[0]!.message;
}

describe("a refusal the schema gives no words for", () => {
  it("is in the user's words, for every kind of issue a forged or broken form reaches", () => {
    expect(refusal(z.object({ note: z.string() }), { note: ["a", "b"] })).toBe("This was sent more than once: open the page again and try once more");
    expect(refusal(z.object({ note: z.string() }), {})).toBe("This was missing from the form: open the page again and try once more");
    expect(refusal(z.number(), "x")).toBe("Enter a number");
    expect(refusal(z.string().max(1000), "x".repeat(1001))).toBe("Use at most 1,000 characters");
    expect(refusal(z.string().min(1), "")).toBe("This must not be empty");
    expect(refusal(z.number().int().max(12), 13)).toBe("Enter a number no larger than 12");
    expect(refusal(z.array(z.string()).min(1), [])).toBe("Choose at least 1");
    expect(refusal(z.uuid(), "not-an-id")).toBe("That is not one of the choices on this page: open the page again and try once more");
    expect(refusal(z.email(), "nobody")).toBe("Enter an email address like name@example.org");
    expect(refusal(z.literal("save"), "{{x}}")).toBe("Choose one of the options on this page: open the page again and try once more");
    expect(refusal(z.enum(["up", "down"]), "sideways")).toBe("Choose one of the options on this page: open the page again and try once more");
    expect(refusal(z.discriminatedUnion("intent", [z.object({ intent: z.literal("a") }), z.object({ intent: z.literal("b") })]), { intent: "c" })).toBe(
      "This could not be read: open the page again and try once more",
    );
  });

  it("gives way to the schema's own words", () => {
    expect(refusal(z.string({ error: "Give the trust’s reason" }).min(1, "Give the trust’s reason"), "")).toBe("Give the trust’s reason");
    expect(refusal(z.enum(["up", "down"], { error: "Choose up or down" }), "x")).toBe("Choose up or down");
  });
});
