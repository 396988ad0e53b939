import { useId, useState, type ChangeEvent } from 'react';
import { useMutation } from 'urql';
import { graphql } from '../../gql/gql.ts';

const ExportContactsMutation = graphql(/* GraphQL */ `
  mutation ExportContacts {
    exportContacts {
      csv
      count
    }
  }
`);

const ImportContactsMutation = graphql(/* GraphQL */ `
  mutation ImportContacts($csv: String!) {
    importContacts(csv: $csv) {
      created
      updated
      unchanged
      problems {
        line
        message
      }
      errors {
        message
      }
    }
  }
`);

const MAX_BYTES = 1024 * 1024;

/** Offers `text` as a file to save, the way a download link would. */
function download(text: string, name: string) {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * Contacts in and out as CSV (admins): an export of every contact, and an import that says what it
 * added, updated and left alone, and which rows it could not read.
 */
export function ContactsTransfer({ onImported }: { onImported: () => void }) {
  const [, exportContacts] = useMutation(ExportContactsMutation);
  const [, importContacts] = useMutation(ImportContactsMutation);
  const [said, setSaid] = useState('');
  const [problems, setProblems] = useState<{ line: number; message: string }[]>([]);
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const fileId = useId();

  const save = async () => {
    setBusy(true);
    const result = await exportContacts({});
    setBusy(false);
    const out = result.data?.exportContacts;
    if (!out) return setFailure('Hatch could not be reached. Try again.');
    setFailure(null);
    download(out.csv, 'contacts.csv');
    setSaid(`Exported ${out.count.toLocaleString()} contacts.`);
  };

  const load = async (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    e.target.value = '';
    if (!file) return;
    if (file.size > MAX_BYTES) return setFailure('That file is larger than 1 MB: split it, and import each part.');
    setBusy(true);
    const result = await importContacts({ csv: await file.text() });
    setBusy(false);
    const report = result.data?.importContacts;
    if (!report) return setFailure('Hatch could not be reached. Try again.');
    if (report.errors.length) return setFailure(report.errors[0]!.message);
    setFailure(null);
    setProblems(report.problems);
    const skipped = report.problems.length ? ` ${report.problems.length} row(s) not understood, listed below.` : '';
    setSaid(`Imported: ${report.created} new, ${report.updated} updated, ${report.unchanged} unchanged.${skipped}`);
    onImported();
  };

  return (
    <div className="contacts-transfer">
      <button type="button" className="secondary-button" disabled={busy} onClick={() => void save()}>
        Export CSV
      </button>
      <label className="secondary-button file-button" htmlFor={fileId}>
        Import CSV
      </label>
      <input id={fileId} className="visually-hidden" type="file" accept=".csv,text/csv" aria-label="Import contacts from a CSV file" disabled={busy} onChange={(e) => void load(e)} />
      <p className="settings-text" role="status">
        {said}
      </p>
      {failure && (
        <p className="field-error" role="alert">
          {failure}
        </p>
      )}
      {problems.length > 0 && (
        <ul className="import-problems" aria-label="Rows not imported">
          {problems.slice(0, 100).map((p) => (
            <li key={`${p.line}-${p.message}`}>
              Row {p.line}: {p.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
