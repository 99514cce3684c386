import { pod, violations } from './support';

const ID = 'pod-sysctls';

describe(ID, () => {
  test('passes the safe set, including the 1.37 additions', () => {
    const sysctls = ['kernel.shm_rmid_forced', 'net.ipv4.ip_local_reserved_ports', 'net.ipv4.tcp_rmem', 'net.ipv4.tcp_slow_start_after_idle', 'net.ipv4.tcp_notsent_lowat'].map((name) => ({ name, value: '1' }));
    expect(violations(ID, pod({ securityContext: { sysctls } }))).toEqual([]);
  });
  test('reports each unsafe sysctl at its index', () => {
    expect(violations(ID, pod({ securityContext: { sysctls: [{ name: 'net.ipv4.tcp_syncookies', value: '1' }, { name: 'kernel.msgmax', value: '1' }, { value: '1' }] } }))).toEqual([
      { path: 'spec.securityContext.sysctls[1].name', message: 'pod sets sysctl "kernel.msgmax", which is not in the safe set' },
      { path: 'spec.securityContext.sysctls[2].name', message: 'pod sets sysctl (missing), which is not in the safe set' },
    ]);
  });
  test('a sysctls field that is not a list is reported', () => {
    expect(violations(ID, pod({ securityContext: { sysctls: { name: 'kernel.msgmax' } } }))[0].path).toBe('spec.securityContext.sysctls');
  });
});
