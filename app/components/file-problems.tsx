/**
 * The problems an import found in a file, by place and column: shown before anything is imported,
 * so that the file can be put right and previewed again.
 */
import type { ReactNode } from "react";
import { counted } from "~/domain/counted";

export interface FileProblem {
  /** Where in the file: a line or a row. */
  where: string | number;
  column: string;
  message: string;
}
export function FileProblems({ problems, more, place, children }: { problems: FileProblem[]; more: number; place: "Line" | "Row"; children?: ReactNode }) {
  return (
    <div role="alert" aria-labelledby="problems-heading">
      <h3 id="problems-heading">{counted(problems.length + more, "problem")} to put right</h3>
      <p>Nothing can be imported until every problem is put right. Correct the file and preview it again.</p>
      <table className="data">
        <caption className="visually-hidden">Problems in the file, by {place.toLowerCase()} and column</caption>
        <thead>
          <tr>
            <th scope="col">{place}</th>
            <th scope="col">Column</th>
            <th scope="col">Problem</th>
          </tr>
        </thead>
        <tbody>
          {problems.map((p, i) => (
            <tr key={i}>
              <td>{p.where}</td>
              <td>{p.column}</td>
              <td>{p.message}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {more > 0 ? <p>…and {counted(more, "more problem")}.</p> : null}
      {children}
    </div>
  );
}
