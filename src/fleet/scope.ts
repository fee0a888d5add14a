// Which tenants a request may see. Admins see every tenant; everyone else only those granted to them.
export type Role = 'viewer' | 'analyst' | 'admin';
export const ROLES: readonly Role[] = ['viewer', 'analyst', 'admin'];
export const roleRank = (r: Role): number => ROLES.indexOf(r);

export interface Scope {
  all: boolean;
  tenantIds: number[];
}

/** SQL fragment restricting `col` to the scope; an empty grant matches nothing. */
export function scopeSql(scope: Scope, col: string): { sql: string; params: number[] } {
  if (scope.all) return { sql: '1=1', params: [] };
  if (scope.tenantIds.length === 0) return { sql: '1=0', params: [] };
  return { sql: `${col} IN (${scope.tenantIds.map(() => '?').join(',')})`, params: scope.tenantIds };
}

export const inScope = (scope: Scope, tenantId: number): boolean => scope.all || scope.tenantIds.includes(tenantId);
