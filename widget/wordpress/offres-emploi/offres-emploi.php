<?php
/**
 * Plugin Name:       Offres d'emploi
 * Plugin URI:        https://github.com/offres-emploi/offres-emploi
 * Description:       France Travail job offers near your commune, in a block or a shortcode, from the offres-emploi service: no API key of your own, no script to paste.
 * Version:           0.1.0
 * Requires at least: 6.1
 * Requires PHP:      7.4
 * Author:            Offres d'emploi
 * License:           MIT
 * License URI:       https://opensource.org/licenses/MIT
 * Text Domain:       offres-emploi
 * Domain Path:       /languages
 *
 * @package OffresEmploi
 */

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/** The option holding the service's address, the site key and the default display. */
const OFFRES_EMPLOI_OPTION = 'offres_emploi_settings';

/**
 * The element's attributes the block and the shortcode pass on, as `<offres-emploi>` reads
 * them (the project's search vocabulary, `emploi_types::recherche::element_attributes`, less
 * `site`, which comes from the settings). A test of the project keeps this list equal to it.
 */
const OFFRES_EMPLOI_ATTRIBUTES = array(
	'mots-cles',
	'metier',
	'commune',
	'epci',
	'departement',
	'rayon',
	'types-contrat',
	'alternance',
	'heures-min',
	'heures-max',
	'qualification',
	'secteurs',
	'salaire-min',
	'periode-salaire',
	'handi-engage',
	'manque-candidats',
	'origine',
	'tri',
	'par-page',
	'lang',
	'titre',
	'theme',
	'mode',
	'verrouiller-lieu',
	'marche',
	'evenements',
	'compact',
);

/** The attributes that are on or off (present without a value). */
const OFFRES_EMPLOI_FLAGS = array( 'verrouiller-lieu', 'marche', 'evenements', 'compact' );

/**
 * The saved settings, with their defaults.
 *
 * @return array{proxy: string, site: string, affichage: string}
 */
function offres_emploi_settings() {
	$saved = get_option( OFFRES_EMPLOI_OPTION, array() );
	return wp_parse_args(
		is_array( $saved ) ? $saved : array(),
		array(
			'proxy'     => '',
			'site'      => '',
			'affichage' => 'script',
		)
	);
}

/**
 * Loads the translations (French first: the plugin's users are French communes).
 */
function offres_emploi_load_textdomain() {
	load_plugin_textdomain( 'offres-emploi', false, dirname( plugin_basename( __FILE__ ) ) . '/languages' );
}
add_action( 'init', 'offres_emploi_load_textdomain' );

/**
 * The widget's HTML for `$atts` (block attributes or shortcode attributes), rendered on the
 * server: the script tag, the element and its `<noscript>` link, or an iframe. Editors need no
 * `unfiltered_html`: the post holds only the block or the shortcode.
 *
 * @param array $atts The element's attributes, and `affichage` (`script` or `iframe`).
 * @return string
 */
function offres_emploi_render( $atts ) {
	$settings = offres_emploi_settings();
	$proxy    = untrailingslashit( $settings['proxy'] );
	if ( '' === $proxy || '' === $settings['site'] ) {
		if ( current_user_can( 'manage_options' ) ) {
			return '<p class="offres-emploi-erreur">' . esc_html__( 'Job offers: set the service address and the site key in Settings, Job offers.', 'offres-emploi' ) . '</p>';
		}
		return '';
	}
	$attributes = array( 'site' => $settings['site'] );
	foreach ( OFFRES_EMPLOI_ATTRIBUTES as $name ) {
		if ( ! isset( $atts[ $name ] ) ) {
			continue;
		}
		$value = $atts[ $name ];
		if ( in_array( $name, OFFRES_EMPLOI_FLAGS, true ) ) {
			if ( true === $value || in_array( strtolower( (string) $value ), array( '1', 'true', 'oui', 'yes', $name ), true ) ) {
				$attributes[ $name ] = '';
			}
			continue;
		}
		$value = trim( (string) $value );
		if ( '' !== $value ) {
			$attributes[ $name ] = $value;
		}
	}
	$page_url = add_query_arg( array_map( 'rawurlencode', $attributes ), $proxy . '/offres' );
	$display  = isset( $atts['affichage'] ) && '' !== $atts['affichage'] ? $atts['affichage'] : $settings['affichage'];

	if ( 'iframe' === $display ) {
		return sprintf(
			'<iframe class="offres-emploi-cadre" src="%1$s" title="%2$s" width="100%%" height="900" style="border:0" loading="lazy"></iframe><script type="module" src="%3$s"></script>',
			esc_url( $page_url ),
			esc_attr__( 'Job offers', 'offres-emploi' ),
			esc_url( $proxy . '/widget/cadre.js' )
		);
	}

	$element = '<offres-emploi';
	foreach ( $attributes as $name => $value ) {
		$element .= '' === $value ? ' ' . esc_attr( $name ) : sprintf( ' %s="%s"', esc_attr( $name ), esc_attr( $value ) );
	}
	$element .= '></offres-emploi>';
	return sprintf(
		'<script type="module" src="%1$s"></script>%2$s<noscript><a href="%3$s">%4$s</a></noscript>',
		esc_url( $proxy . '/widget/offres-emploi.js' ),
		$element,
		esc_url( $page_url ),
		esc_html__( 'See the job offers (version without JavaScript)', 'offres-emploi' )
	);
}

/**
 * `[offres_emploi commune="35238" rayon="20"]`: the widget, with the element's attributes.
 *
 * @param array|string $atts Shortcode attributes.
 * @return string
 */
function offres_emploi_shortcode( $atts ) {
	$defaults = array_fill_keys( array_merge( OFFRES_EMPLOI_ATTRIBUTES, array( 'affichage' ) ), '' );
	return offres_emploi_render( shortcode_atts( $defaults, is_array( $atts ) ? $atts : array(), 'offres_emploi' ) );
}
add_shortcode( 'offres_emploi', 'offres_emploi_shortcode' );

/**
 * Registers the block (rendered on the server, like the shortcode).
 */
function offres_emploi_register_block() {
	register_block_type(
		__DIR__ . '/block.json',
		array( 'render_callback' => 'offres_emploi_render' )
	);
	if ( function_exists( 'wp_set_script_translations' ) ) {
		wp_set_script_translations( 'offres-emploi-widget-editor-script', 'offres-emploi', __DIR__ . '/languages' );
	}
}
add_action( 'init', 'offres_emploi_register_block' );

/**
 * The settings page: the service's address, the site key, the default display.
 */
function offres_emploi_admin_menu() {
	add_options_page(
		__( 'Job offers', 'offres-emploi' ),
		__( 'Job offers', 'offres-emploi' ),
		'manage_options',
		'offres-emploi',
		'offres_emploi_settings_page'
	);
}
add_action( 'admin_menu', 'offres_emploi_admin_menu' );

/**
 * Registers the option with its sanitiser.
 */
function offres_emploi_register_setting() {
	register_setting(
		'offres_emploi',
		OFFRES_EMPLOI_OPTION,
		array(
			'type'              => 'array',
			'sanitize_callback' => 'offres_emploi_sanitize',
			'default'           => array(),
		)
	);
}
add_action( 'admin_init', 'offres_emploi_register_setting' );

/**
 * Keeps what the settings can hold: an http(s) address, a key of 2 to 64 letters, digits,
 * `-` or `_`, and a display.
 *
 * @param mixed $input The submitted values.
 * @return array
 */
function offres_emploi_sanitize( $input ) {
	$input = is_array( $input ) ? $input : array();
	$proxy = isset( $input['proxy'] ) ? esc_url_raw( trim( (string) $input['proxy'] ), array( 'http', 'https' ) ) : '';
	$site  = isset( $input['site'] ) ? trim( (string) $input['site'] ) : '';
	if ( '' !== $site && ! preg_match( '/^[A-Za-z0-9_-]{2,64}$/', $site ) ) {
		add_settings_error( OFFRES_EMPLOI_OPTION, 'site', __( 'The site key has 2 to 64 letters, digits, "-" or "_": check the one the service gave you.', 'offres-emploi' ) );
		$site = '';
	}
	$display = isset( $input['affichage'] ) && 'iframe' === $input['affichage'] ? 'iframe' : 'script';
	return array(
		'proxy'     => untrailingslashit( $proxy ),
		'site'      => $site,
		'affichage' => $display,
	);
}

/**
 * The settings page's form.
 */
function offres_emploi_settings_page() {
	if ( ! current_user_can( 'manage_options' ) ) {
		return;
	}
	$settings = offres_emploi_settings();
	?>
	<div class="wrap">
		<h1><?php esc_html_e( 'Job offers', 'offres-emploi' ); ?></h1>
		<p><?php esc_html_e( 'The service\'s address and your site key come from the service that runs the job-offer widget for your commune. Then add the "Job offers" block, or the [offres_emploi] shortcode, to any page.', 'offres-emploi' ); ?></p>
		<form method="post" action="options.php">
			<?php settings_fields( 'offres_emploi' ); ?>
			<table class="form-table" role="presentation">
				<tr>
					<th scope="row"><label for="offres-emploi-proxy"><?php esc_html_e( 'Service address', 'offres-emploi' ); ?></label></th>
					<td><input type="url" class="regular-text" id="offres-emploi-proxy" name="<?php echo esc_attr( OFFRES_EMPLOI_OPTION ); ?>[proxy]" value="<?php echo esc_attr( $settings['proxy'] ); ?>" placeholder="https://emploi.example.fr"></td>
				</tr>
				<tr>
					<th scope="row"><label for="offres-emploi-site"><?php esc_html_e( 'Site key', 'offres-emploi' ); ?></label></th>
					<td><input type="text" class="regular-text" id="offres-emploi-site" name="<?php echo esc_attr( OFFRES_EMPLOI_OPTION ); ?>[site]" value="<?php echo esc_attr( $settings['site'] ); ?>" pattern="[A-Za-z0-9_-]{2,64}"></td>
				</tr>
				<tr>
					<th scope="row"><?php esc_html_e( 'Display', 'offres-emploi' ); ?></th>
					<td>
						<fieldset>
							<legend class="screen-reader-text"><?php esc_html_e( 'Display', 'offres-emploi' ); ?></legend>
							<label><input type="radio" name="<?php echo esc_attr( OFFRES_EMPLOI_OPTION ); ?>[affichage]" value="script" <?php checked( 'script', $settings['affichage'] ); ?>> <?php esc_html_e( 'The widget in the page (a script from the service)', 'offres-emploi' ); ?></label><br>
							<label><input type="radio" name="<?php echo esc_attr( OFFRES_EMPLOI_OPTION ); ?>[affichage]" value="iframe" <?php checked( 'iframe', $settings['affichage'] ); ?>> <?php esc_html_e( 'A frame (iframe), for sites whose policy forbids third-party scripts', 'offres-emploi' ); ?></label>
						</fieldset>
					</td>
				</tr>
			</table>
			<?php submit_button(); ?>
		</form>
	</div>
	<?php
}
