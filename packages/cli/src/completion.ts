import type { Command } from "commander";

/** Every command path ("sweeplab", "sweeplab runs", "sweeplab runs ls"), with the words that may follow it. */
function wordTable(program: Command): Map<string, string[]> {
  const table = new Map<string, string[]>();
  const visit = (command: Command, path: string, inherited: string[]) => {
    const options = command.options.flatMap((o) => [o.long, o.short].filter((f): f is string => !!f));
    const words = [...command.commands.map((c) => c.name()), ...options, ...inherited, "--help"];
    table.set(path, [...new Set(words)]);
    for (const child of command.commands) visit(child, `${path} ${child.name()}`, []);
  };
  visit(program, "sweeplab", []);
  return table;
}

/**
 * A completion script for bash or zsh (through zsh's bashcompinit): commands, subcommands and their flags, from
 * the same definitions `--help` prints. Install: `sweeplab completion bash > ~/.local/share/bash-completion/completions/sweeplab`
 * or `source <(sweeplab completion zsh)` in ~/.zshrc.
 */
export function completionScript(program: Command, shell: "bash" | "zsh"): string {
  const table = wordTable(program);
  const entries = [...table].map(
    ([path, words]) => `  [${JSON.stringify(path)}]=${JSON.stringify(words.join(" "))}`,
  );
  const bash = `# sweeplab ${shell} completion (sweeplab completion ${shell})
_sweeplab() {
  local -A words=(
${entries.join("\n")}
  )
  local cur="\${COMP_WORDS[COMP_CWORD]}" path="sweeplab" i w
  for ((i = 1; i < COMP_CWORD; i++)); do
    w="\${COMP_WORDS[i]}"
    [[ "$w" == -* ]] && continue
    if [[ -n "\${words[$path $w]+x}" ]]; then path="$path $w"; fi
  done
  COMPREPLY=($(compgen -W "\${words[$path]}" -- "$cur"))
}
complete -o default -F _sweeplab sweeplab
`;
  return shell === "zsh" ? `autoload -U +X bashcompinit && bashcompinit\n${bash}` : bash;
}
