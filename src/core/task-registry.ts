/**
 * Every task type defined in this thread or process, by module and name. A thread or process
 * executor imports a task's module and looks its definition up here. The map lives on
 * `globalThis` so that two copies of taskmill loaded side by side (an app's and the executor
 * entry's) share it.
 */
const KEY = Symbol.for('taskmill.task-registry');

type Registry = Map<string, { readonly name: string }>;

function registry(): Registry {
  const holder = globalThis as { [KEY]?: Registry };
  holder[KEY] ??= new Map();
  return holder[KEY];
}

function key(module: string, name: string): string {
  return `${module}#${name}`;
}

export function registerTask(module: string, def: { readonly name: string }): void {
  registry().set(key(module, def.name), def);
}

/** What `defineTask` registered under that module and name; the caller checks its shape. */
export function registeredTask(module: string, name: string): unknown {
  return registry().get(key(module, name));
}
